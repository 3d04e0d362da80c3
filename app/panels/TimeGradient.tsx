/**
 * Gradients through time, for an edge that carries a sequence: the gradient RMS at each time step
 * pooled over the last READING_STEPS training steps (a line on a log axis, and the one-line
 * reading of its first step against its last: see timeReading.ts for why one batch is not enough)
 * and over training (a heat strip: training steps left to right, time steps top to bottom,
 * colored by log10 RMS on the edges' color map): how far back through the sequence the gradient
 * reaches, and how that changes as the model learns.
 */
import { useEffect, useMemo, useRef } from 'react';
import { MiniChart } from '../charts/LazyMiniChart';
import { formatMagnitude, mapColor } from '../training/edgeColors';
import { useTraining } from '../training/store';
import { readTimeGradient, timeReadingText } from '../training/timeReading';

const STRIP_HEIGHT = 84;

export function TimeGradient({ edgeId, steps }: { edgeId: string; steps: number }) {
  const version = useTraining((s) => s.historyVersion);
  const history = useTraining((s) => s.history);
  const rows = useMemo(() => {
    const h = history.timeRms.get(edgeId);
    return h ? { steps: h.steps.slice(), rows: h.rows.slice() } : null;
    // `version` marks that the mutable history grew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history, edgeId, version]);
  const reading = useMemo(() => (rows ? readTimeGradient(rows) : undefined), [rows]);
  const profile = reading?.profile;
  const line = useMemo<[number[], (number | null)[]] | null>(
    () => (profile ? [Array.from(profile.rms, (_, t) => t + 1), Array.from(profile.rms, (v) => (Number.isFinite(v) && v > 0 ? v : null))] : null),
    [profile],
  );
  const ratio = reading && Number.isFinite(reading.lastOverFirst) ? reading.lastOverFirst : undefined;

  return (
    <section
      aria-label="Gradient through time"
      data-testid="time-gradient"
      {...(ratio !== undefined ? { 'data-last-first-ratio': ratio } : {})}
      {...(reading ? { 'data-reading': reading.kind } : {})}
      className="flex flex-col gap-1.5"
    >
      <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Gradient per time step (log)</h4>
      {line && reading && profile ? (
        <>
          <MiniChart
            label={`Gradient RMS at each time step of this sequence, over training steps ${profile.fromStep} to ${profile.toStep}, log scale`}
            data={line}
            kind="line"
            color="#f89540"
            logY
            yFormat={formatMagnitude}
            height={100}
            xFormat={(t) => `t${t}`}
          />
          <p className="text-xs leading-5 text-ink-muted">{timeReadingText(reading, formatMagnitude)}</p>
          <TimeStrip rows={rows!.rows} steps={steps} />
        </>
      ) : (
        <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-xs text-ink-faint">Train to see how far back in the sequence the gradient reaches.</p>
      )}
    </section>
  );
}

function TimeStrip({ rows, steps }: { rows: Float32Array[]; steps: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const range = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows)
      for (const v of r) {
        if (!(v > 0) || !Number.isFinite(v)) continue;
        const l = Math.log10(v);
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    return lo <= hi ? { lo, hi: Math.max(hi, lo + 0.5) } : null;
  }, [rows]);

  useEffect(() => {
    const canvas = ref.current!;
    canvas.width = Math.max(1, rows.length);
    canvas.height = steps;
    const ctx = canvas.getContext('2d');
    if (!ctx || !range) return;
    rows.forEach((r, x) => {
      for (let t = 0; t < steps; t++) {
        const v = r[t]!;
        ctx.fillStyle = v > 0 && Number.isFinite(v) ? mapColor((Math.log10(v) - range.lo) / (range.hi - range.lo)) : '#101116';
        ctx.fillRect(x, t, 1, 1);
      }
    });
  }, [rows, steps, range]);

  return (
    <figure className="flex flex-col gap-1">
      <div className="flex gap-1.5">
        <div className="flex flex-col justify-between py-0.5 font-mono text-[10px] text-ink-faint" aria-hidden="true">
          <span>t1</span>
          <span>t{steps}</span>
        </div>
        <canvas
          ref={ref}
          role="img"
          aria-label="Gradient RMS per time step over training: training steps left to right, time steps top to bottom"
          className="min-w-0 flex-1 rounded-sm border border-line [image-rendering:pixelated]"
          style={{ height: STRIP_HEIGHT }}
        />
      </div>
      <figcaption className="flex items-center justify-between gap-2 pl-5 text-[10px] text-ink-faint">
        <span>training →</span>
        {range && (
          <span className="flex items-center gap-1.5 font-mono tabular-nums">
            {formatMagnitude(10 ** range.lo)}
            <span aria-hidden="true" className="h-1.5 w-14 rounded-sm" style={{ background: `linear-gradient(to right, ${mapColor(0)}, ${mapColor(0.5)}, ${mapColor(1)})` }} />
            {formatMagnitude(10 ** range.hi)}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
