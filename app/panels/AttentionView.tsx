/**
 * The attention view: for one test sample, each head's attention weights as a heatmap — row i is
 * the query at step i, column j how much of step j it reads (each row sums to 1). Opened from the
 * inspector of an Attention layer once a run is loaded. Test hook: data-testid="attention-view".
 */
import { useEffect, useRef, useState } from 'react';
import type { AttentionMap } from '../../worker/sequence';
import { mapColor } from '../training/edgeColors';
import { training, useTraining } from '../training/store';
import { useRunRead } from '../training/useRunRead';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { SampleStepper } from '../ui/SampleStepper';

const HEAT_SIZE = 300;

export function AttentionButton({ nodeId, name }: { nodeId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const loaded = useTraining((s) => s.info !== null && s.info.nodeIds.includes(nodeId));
  return (
    <section aria-label="Attention" className="flex flex-col gap-1.5">
      <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Attention</h4>
      <Button data-testid="open-attention-view" disabled={!loaded} onClick={() => setOpen(true)} title={loaded ? undefined : 'Press Train or Step first'}>
        Show attention weights
      </Button>
      {open && <AttentionDialog nodeId={nodeId} name={name} onClose={() => setOpen(false)} />}
    </section>
  );
}

function AttentionDialog({ nodeId, name, onClose }: { nodeId: string; name: string; onClose: () => void }) {
  const [sample, setSample] = useState(0);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const testCount = useTraining((s) => s.info?.testCount ?? 0);
  const [hover, setHover] = useState<{ head: number; q: number; k: number } | null>(null);
  // Read on a new sample and as training moves on; only the loaded run's map is shown.
  const map = useRunRead(nodeId, sample, training.attention);

  const ok = map && !('error' in map) ? map : null;
  const loaded = useTraining((s) => s.info !== null && s.info.nodeIds.includes(nodeId));
  return (
    <Dialog title={`Attention weights · ${name}`} description="Each row is a position (the query); its colors show which earlier positions it reads. Rows sum to 1." onClose={onClose} width="max-w-5xl">
      <div data-testid="attention-view" className="flex flex-col gap-4 p-5">
        <div className="flex items-center gap-3 text-[13px]">
          <SampleStepper noun="sample" index={sample} count={testCount} onChange={setSample} />
          <span className="ml-auto text-xs text-ink-faint">at step {step.toLocaleString()}</span>
        </div>
        {!loaded && <p className="text-[13px] text-ink-faint">This run is over (the graph or its data changed). Press Train or Step to read the attention of the new run.</p>}
        {map && 'error' in map && (
          <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs text-danger-ink">
            {map.error}
          </p>
        )}
        {ok && (
          <>
            <p data-testid="attention-tokens" className="rounded-md border border-line bg-canvas px-3 py-2 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-ink">
              {ok.tokens.map((t, i) => (
                <span key={i} className={hover && (hover.q === i || hover.k === i) ? (hover.q === i ? 'bg-accent/40' : 'bg-[#f89540]/40') : undefined}>
                  {t}
                </span>
              ))}
            </p>
            <div className="flex flex-wrap gap-5">
              {Array.from({ length: ok.heads }, (_, h) => (
                <HeadMap key={h} map={ok} head={h} onHover={(q, k) => setHover(q === null ? null : { head: h, q, k: k! })} />
              ))}
            </div>
            <div className="flex items-center justify-between gap-4 text-xs text-ink-faint">
              <span className="h-4 text-ink-muted">
                {hover ? `Head ${hover.head + 1}: position ${hover.q + 1} (${show(ok.tokens[hover.q])}) reads position ${hover.k + 1} (${show(ok.tokens[hover.k])}) with weight ${ok.weights[(hover.head * ok.steps + hover.q) * ok.steps + hover.k]!.toFixed(3)}` : 'Hover a cell to read it.'}
              </span>
              <span className="flex items-center gap-2 font-mono">
                0
                <span aria-hidden="true" className="h-2 w-24 rounded-sm" style={{ background: `linear-gradient(to right, ${mapColor(0)}, ${mapColor(0.5)}, ${mapColor(1)})` }} />
                1 (all of its attention)
              </span>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}

function show(token: string | undefined): string {
  if (token === undefined) return '?';
  return token === ' ' ? '␣' : token === '\n' ? '↵' : token;
}

function HeadMap({ map, head, onHover }: { map: AttentionMap; head: number; onHover: (q: number | null, k?: number) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const T = map.steps;
  useEffect(() => {
    const canvas = ref.current!;
    canvas.width = T;
    canvas.height = T;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    for (let q = 0; q < T; q++) {
      for (let k = 0; k < T; k++) {
        // Square-root scale: small weights stay visible next to one dominant key.
        ctx.fillStyle = mapColor(Math.sqrt(map.weights[(head * T + q) * T + k]!));
        ctx.fillRect(k, q, 1, 1);
      }
    }
  }, [map, head, T]);
  return (
    <figure className="flex flex-col gap-1.5">
      <figcaption className="text-xs font-medium text-ink-muted">Head {head + 1}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-label={`Attention weights of head ${head + 1}: queries down, keys across`}
        className="cursor-crosshair rounded-sm border border-line [image-rendering:pixelated]"
        style={{ width: HEAT_SIZE, height: HEAT_SIZE }}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const k = Math.floor(((e.clientX - r.left) / r.width) * T);
          const q = Math.floor(((e.clientY - r.top) / r.height) * T);
          if (q >= 0 && q < T && k >= 0 && k < T) onHover(q, k);
        }}
        onMouseLeave={() => onHover(null)}
      />
      <span className="flex justify-between text-[10px] text-ink-faint">
        <span>keys → (position read)</span>
        <span>↓ queries</span>
      </span>
    </figure>
  );
}
