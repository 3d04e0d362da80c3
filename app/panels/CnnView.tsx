/**
 * The CNN views of a Conv2D layer's inspector: its filters (per output channel, per input channel;
 * orange below zero, blue above, on one scale for the whole kernel, with its legend), and a dialog
 * with a chosen test image's feature maps through every convolution and pooling layer in order.
 * Both follow training (a new read every 50 steps). Test hooks: data-testid="conv-filters",
 * "feature-maps", "feature-layer" (data-node-id).
 */
import { useEffect, useRef, useState } from 'react';
import type { CnnView, FeatureMapLayer } from '../../worker/cnn';
import { DIVERGING, hexToRgb, mix } from '../monitor/heatmap';
import { formatMagnitude } from '../training/edgeColors';
import { training, useTraining } from '../training/store';
import { useRunRead } from '../training/useRunRead';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { SampleStepper } from '../ui/SampleStepper';

const LOW = hexToRgb(DIVERGING.low);
const MID = hexToRgb(DIVERGING.mid);
const HIGH = hexToRgb(DIVERGING.high);

/** A value's color on the diverging scale ±scale (the middle color at 0 or without a scale). */
function diverging(v: number, scale: number): readonly [number, number, number] {
  const t = scale > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / scale)) : 0;
  return t < 0 ? mix(MID, LOW, -t) : mix(MID, HIGH, t);
}

/** Draws `height` × `width` values (from `offset`) into a canvas, one pixel per value. */
function paint(canvas: HTMLCanvasElement, values: Float32Array, offset: number, height: number, width: number, scale: number): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  for (let p = 0; p < height * width; p++) {
    const [r, g, b] = diverging(values[offset + p]!, scale);
    image.data.set([r, g, b, 255], p * 4);
  }
  ctx.putImageData(image, 0, 0);
}

/** The view for `sample`, of the loaded run only (never an earlier run's), read again as training moves on. */
const useCnnView = (nodeId: string, sample: number) => useRunRead(nodeId, sample, training.cnn);

function ScaleLegend({ scale, what }: { scale: number; what: string }) {
  return (
    <div role="img" aria-label={`Color scale of the ${what}: orange at −${formatMagnitude(scale)}, dark at 0, blue at +${formatMagnitude(scale)}`} className="flex items-center gap-2 font-mono text-[10px] text-ink-faint">
      −{formatMagnitude(scale)}
      <span aria-hidden="true" className="h-2 w-20 rounded-sm" style={{ background: `linear-gradient(to right, ${DIVERGING.low}, ${DIVERGING.mid}, ${DIVERGING.high})` }} />+{formatMagnitude(scale)}
    </div>
  );
}

/** The inspector's section for a Conv2D layer: its filters, and the button to its feature maps. */
export function ConvFiltersSection({ nodeId, name }: { nodeId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const view = useCnnView(nodeId, 0);
  const ok = view && !('error' in view) ? view : null;
  return (
    <section aria-label="Learned kernels" className="flex flex-col gap-1.5">
      <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Learned kernels</h4>
      {view && 'error' in view && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs text-danger-ink">
          {view.error}
        </p>
      )}
      {ok ? <Filters view={ok} /> : !view && <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-xs text-ink-faint">Press Train or Step to see the filters this layer learns.</p>}
      <Button data-testid="open-feature-maps" disabled={!ok} onClick={() => setOpen(true)} title={ok ? undefined : 'Press Train or Step first'}>
        Show feature maps
      </Button>
      {open && <FeatureMapsDialog nodeId={nodeId} name={name} onClose={() => setOpen(false)} />}
    </section>
  );
}

const FILTER_PX = 7;

function Filters({ view }: { view: CnnView }) {
  const f = view.filters;
  const more = f.outputs - f.shownOutputs;
  const moreInputs = f.inputs - f.shownInputs;
  return (
    <div data-testid="conv-filters" className="flex flex-col gap-1.5">
      <p className="text-xs text-ink-muted">
        {f.outputs} filters of {f.kh}×{f.kw} over {f.inputs === 1 ? '1 input channel' : `${f.inputs} input channels`}
        {f.shownInputs > 1 && ': a row per filter, a column per input channel'}
        {moreInputs > 0 && ` (the first ${f.shownInputs})`}.
      </p>
      <div className="grid gap-1" style={{ gridTemplateColumns: `repeat(${f.shownInputs === 1 ? 8 : f.shownInputs}, min-content)` }}>
        {Array.from({ length: f.shownOutputs * f.shownInputs }, (_, k) => (
          <FilterTile key={k} view={view} output={Math.floor(k / f.shownInputs)} input={k % f.shownInputs} />
        ))}
      </div>
      {more > 0 && <span className="font-mono text-[10px] text-ink-faint">+{more} more filters</span>}
      <ScaleLegend scale={f.scale} what="kernels" />
    </div>
  );
}

function FilterTile({ view, output, input }: { view: CnnView; output: number; input: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const f = view.filters;
  useEffect(() => paint(ref.current!, f.weights, (output * f.shownInputs + input) * f.kh * f.kw, f.kh, f.kw, f.scale), [f, output, input]);
  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={`Filter ${output + 1}${f.inputs > 1 ? `, input channel ${input + 1}` : ''}`}
      className="rounded-[2px] border border-line [image-rendering:pixelated]"
      style={{ width: f.kw * FILTER_PX, height: f.kh * FILTER_PX }}
    />
  );
}

function FeatureMapsDialog({ nodeId, name, onClose }: { nodeId: string; name: string; onClose: () => void }) {
  const [sample, setSample] = useState(0);
  const view = useCnnView(nodeId, sample);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const ok = view && !('error' in view) ? view : null;
  const count = ok?.sample.count ?? 0;
  return (
    <Dialog title={`Feature maps · ${name}`} description="A test image through every convolution and pooling layer, in order: each channel's output as a picture (orange below zero, blue above, one scale per layer)." onClose={onClose} width="max-w-5xl">
      <div data-testid="feature-maps" className="flex flex-col gap-4 p-5">
        <div className="flex items-center gap-3 text-[13px]">
          <SampleStepper noun="image" index={sample} count={count} onChange={setSample} testId="feature-sample" />
          {ok && <SampleImage view={ok} />}
          <span className="ml-auto text-xs text-ink-faint">at step {step.toLocaleString('en-US')}</span>
        </div>
        {view && 'error' in view && (
          <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs text-danger-ink">
            {view.error}
          </p>
        )}
        {ok && (
          <div className="flex flex-col gap-4">
            {ok.layers.map((layer) => (
              <LayerMaps key={layer.nodeId} layer={layer} />
            ))}
          </div>
        )}
      </div>
    </Dialog>
  );
}

function SampleImage({ view }: { view: CnnView }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { rows, cols, pixels, label } = view.sample;
  useEffect(() => {
    const canvas = ref.current!;
    canvas.width = cols;
    canvas.height = rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(cols, rows);
    for (let p = 0; p < rows * cols; p++) image.data.set([pixels[p]!, pixels[p]!, pixels[p]!, 255], p * 4);
    ctx.putImageData(image, 0, 0);
  }, [rows, cols, pixels]);
  return (
    <span className="flex items-center gap-2">
      <canvas ref={ref} role="img" aria-label={`Test image ${view.sample.index + 1}, labelled ${label}`} className="rounded-sm border border-line [image-rendering:pixelated]" style={{ width: 42, height: 42 }} />
      <span className="text-xs text-ink-muted">
        label <span className="font-mono text-ink">{label}</span>
      </span>
    </span>
  );
}

function LayerMaps({ layer }: { layer: FeatureMapLayer }) {
  let scale = 0;
  for (const v of layer.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const size = Math.max(36, Math.min(84, layer.width * 3));
  return (
    <section data-testid="feature-layer" data-node-id={layer.nodeId} aria-label={`${layer.name}: ${layer.height}×${layer.width}×${layer.channels}`} className="flex flex-col gap-1.5">
      <div className="flex items-baseline gap-2">
        <h4 className="text-xs font-semibold text-ink">{layer.name}</h4>
        <span className="font-mono text-[11px] text-ink-faint">
          {layer.height}×{layer.width}×{layer.channels}
          {layer.shown < layer.channels && ` · first ${layer.shown} channels`}
        </span>
        <span className="ml-auto">
          <ScaleLegend scale={scale} what={`${layer.name} maps`} />
        </span>
      </div>
      <div className="flex flex-wrap gap-1.5">
        {Array.from({ length: layer.shown }, (_, c) => (
          <MapTile key={c} layer={layer} channel={c} scale={scale} size={size} />
        ))}
      </div>
    </section>
  );
}

function MapTile({ layer, channel, scale, size }: { layer: FeatureMapLayer; channel: number; scale: number; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => paint(ref.current!, layer.values, channel * layer.height * layer.width, layer.height, layer.width, scale), [layer, channel, scale]);
  return <canvas ref={ref} role="img" aria-label={`${layer.name}, channel ${channel + 1}`} className="rounded-sm border border-line [image-rendering:pixelated]" style={{ width: size, height: size }} />;
}
