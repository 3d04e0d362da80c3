/**
 * The right end of the monitor strip: what the model makes of the input space. A decision
 * boundary (or a predicted surface) for 2D inputs, the fitted curve for 1D regression, and test
 * samples with a confusion matrix for image classification, and text generation for character models. Tables have no such view; the charts take the room.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { SplitDataset } from '../../engine/data/types';
import type { LoadInfo, PredictionGrid } from '../../worker/protocol';
import { gridExtent } from '../../worker/predict';
import { classColor, DIVERGING, divergingColor, gridToPixels, HEATMAP_BACKGROUND, rgbToCss, valueDomain, type HeatmapMode, type ValueDomain } from './heatmap';
import { DARK_HALO, drawTestPoints, drawTrainPoints, LIGHT_HALO, plotFrame, pointRadius, prepareCanvas, type PointSet } from './plot';
import { ImageViews } from './ImageViews';
import { TextSampler } from './TextSampler';
import { useMonitorRun } from './run';
import { formatTick } from './series';
import { useRunSplit } from './useRunSplit';

/** The plot square: the strip's height less its padding and the frame. */
const SIZE = 206;
const CURVE_WIDTH = 260;
const CURVE_COLOR = '#e8e9ed';
const DATA_COLOR = '#3d9be9';

export function DataView({ info }: { info: LoadInfo }) {
  const shape = info.dataset.inputShape;
  if (info.dataset.task === 'sequence' && info.dataset.vocabulary && shape.length === 1) return <TextSampler info={info} />;
  if (shape.length === 3) return <ImageViews info={info} />;
  if (shape.length === 1 && shape[0] === 2) return <BoundaryView info={info} />;
  if (shape.length === 1 && shape[0] === 1 && info.lossKind === 'mse') return <CurveView info={info} />;
  return null;
}

function Pane({ children, legend }: { children: ReactNode; legend: ReactNode }) {
  return (
    <div className="flex shrink-0 gap-3 border-l border-line py-2 pr-4 pl-2">
      <div className="overflow-hidden rounded-md border border-line">{children}</div>
      <div className="flex w-28 flex-col py-1">{legend}</div>
    </div>
  );
}

function LegendTitle({ children }: { children: ReactNode }) {
  return <h3 className="text-xs font-medium text-ink-muted">{children}</h3>;
}

/** Filled dot for train, ring for test. */
function SplitKeyLegend({ color = '#a1a4ae', model }: { color?: string; model?: boolean }) {
  return (
    <ul className="mt-auto flex flex-col gap-1 text-[11px] text-ink-faint" aria-label="Markers">
      {model && (
        <li className="flex items-center gap-2">
          <span aria-hidden="true" className="h-0.5 w-3 rounded-full" style={{ backgroundColor: CURVE_COLOR }} />
          model
        </li>
      )}
      <li className="flex items-center gap-2">
        <span aria-hidden="true" className="ml-0.5 size-2 rounded-full" style={{ backgroundColor: color }} />
        train
      </li>
      <li className="flex items-center gap-2">
        <span aria-hidden="true" className="ml-0.5 size-2 rounded-full border-[1.5px]" style={{ borderColor: color }} />
        test
      </li>
    </ul>
  );
}

function targets(split: SplitDataset): Float32Array {
  const all = new Float32Array(split.train.y.length + split.test.y.length);
  all.set(split.train.y);
  all.set(split.test.y, split.train.y.length);
  return all;
}

/** The points of one part of the split: 2D features, or (x, target) for 1D inputs. */
function pointSet(part: SplitDataset['train'], dims: 1 | 2): PointSet {
  return dims === 2 ? { count: part.count, x: (i) => part.x[2 * i]!, y: (i) => part.x[2 * i + 1]! } : { count: part.count, x: (i) => part.x[i]!, y: (i) => part.y[i]! };
}

function BoundaryView({ info }: { info: LoadInfo }) {
  const grid = useMonitorRun((s) => s.grid);
  const split = useRunSplit(info);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const imageRef = useRef<HTMLCanvasElement | null>(null);
  const regression = info.lossKind === 'mse';
  // Regression colors span the targets (stable over the run); before the points are built, the predictions.
  const domain = useMemo<ValueDomain | null>(() => (regression ? valueDomain(split ? targets(split) : (grid?.values ?? [])) : null), [regression, split, grid]);

  useEffect(() => {
    const ctx = prepareCanvas(canvasRef.current!, SIZE, SIZE);
    if (!ctx) return;
    ctx.fillStyle = HEATMAP_BACKGROUND;
    ctx.fillRect(0, 0, SIZE, SIZE);
    const cells = grid ? grid.resolution * grid.resolution * grid.channels : 0;
    if (grid && grid.values.length === cells) {
      const mode: HeatmapMode = domain ? { kind: 'regression', domain } : { kind: 'classification' };
      imageRef.current ??= document.createElement('canvas');
      const image = imageRef.current;
      image.width = grid.resolution;
      image.height = grid.resolution;
      image.getContext('2d')!.putImageData(new ImageData(gridToPixels(grid, mode), grid.resolution, grid.resolution), 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(image, 0, 0, SIZE, SIZE);
    }
    const extent = grid?.extent ?? (split && gridExtent(split));
    if (!split || !extent) return;
    const frame = plotFrame(extent, SIZE, SIZE);
    const color = (part: SplitDataset['train']) => (i: number) => (domain ? rgbToCss(divergingColor(part.y[i]!, domain)) : classColor(part.y[i]!));
    const radius = pointRadius(split.train.count + split.test.count);
    // Values near the middle of the diverging scale are dark, so regression points get a light ring.
    const halo = domain ? LIGHT_HALO : DARK_HALO;
    drawTrainPoints(ctx, frame, pointSet(split.train, 2), { radius, color: color(split.train), halo });
    drawTestPoints(ctx, frame, pointSet(split.test, 2), { radius, color: color(split.test), halo });
  }, [grid, split, domain]);

  const title = regression ? 'Predicted surface' : 'Decision boundary';
  return (
    <Pane
      legend={
        <>
          <LegendTitle>{title}</LegendTitle>
          {domain ? <GradientLegend domain={domain} /> : <ClassLegend info={info} channels={grid?.channels} />}
          <SplitKeyLegend />
        </>
      }
    >
      <canvas ref={canvasRef} role="img" aria-label={`${title} over the two input features, with the train and test points`} data-testid="decision-boundary" data-state={grid ? 'predicted' : 'empty'} style={{ width: SIZE, height: SIZE }} className="block" />
    </Pane>
  );
}

function ClassLegend({ info, channels }: { info: LoadInfo; channels: number | undefined }) {
  const count = info.dataset.numClasses ?? Math.max(2, channels ?? 2);
  const names = Array.from({ length: count }, (_, c) => info.dataset.classNames?.[c] ?? `class ${c}`);
  return (
    <ul className={`mt-2 grid gap-x-3 gap-y-1 text-[11px] text-ink-muted ${count > 6 ? 'grid-cols-2' : 'grid-cols-1'}`} aria-label="Classes">
      {names.map((name, c) => (
        <li key={c} className="flex min-w-0 items-center gap-2">
          <span aria-hidden="true" className="size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: classColor(c) }} />
          <span className="truncate" title={name}>
            {name}
          </span>
        </li>
      ))}
    </ul>
  );
}

function GradientLegend({ domain }: { domain: ValueDomain }) {
  return (
    <div className="mt-2" aria-label={`Color scale from ${formatTick(domain.lo)} to ${formatTick(domain.hi)}`} role="img">
      <div className="h-2 rounded-sm" style={{ background: `linear-gradient(to right, ${DIVERGING.low}, ${DIVERGING.mid}, ${DIVERGING.high})` }} />
      <div className="mt-1 flex justify-between font-mono text-[10px] text-ink-faint tabular-nums">
        <span>{formatTick(domain.lo)}</span>
        <span>{formatTick(domain.hi)}</span>
      </div>
    </div>
  );
}

/** The range a 1D fit is drawn over: the targets with a margin (a wild prediction is clipped, not zoomed out to). */
function curveExtent(grid: PredictionGrid | null, split: SplitDataset | null): PredictionGrid['extent'] | null {
  const xRange = grid?.extent ?? (split && gridExtent(split));
  if (!xRange) return null;
  const domain = valueDomain(split ? targets(split) : (grid?.values ?? []));
  const pad = (domain.hi - domain.lo) * 0.12;
  return { xMin: xRange.xMin, xMax: xRange.xMax, yMin: domain.lo - pad, yMax: domain.hi + pad };
}

function CurveView({ info }: { info: LoadInfo }) {
  const grid = useMonitorRun((s) => s.grid);
  const split = useRunSplit(info);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const ctx = prepareCanvas(canvasRef.current!, CURVE_WIDTH, SIZE);
    if (!ctx) return;
    ctx.fillStyle = HEATMAP_BACKGROUND;
    ctx.fillRect(0, 0, CURVE_WIDTH, SIZE);
    const extent = curveExtent(grid, split);
    if (!extent) return;
    const frame = plotFrame(extent, CURVE_WIDTH, SIZE);
    // The zero lines, faint, for orientation.
    ctx.strokeStyle = '#24262d';
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (extent.yMin < 0 && extent.yMax > 0) {
      ctx.moveTo(0, Math.round(frame.y(0)) + 0.5);
      ctx.lineTo(CURVE_WIDTH, Math.round(frame.y(0)) + 0.5);
    }
    if (extent.xMin < 0 && extent.xMax > 0) {
      ctx.moveTo(Math.round(frame.x(0)) + 0.5, 0);
      ctx.lineTo(Math.round(frame.x(0)) + 0.5, SIZE);
    }
    ctx.stroke();
    if (split) {
      const radius = pointRadius(split.train.count + split.test.count);
      const color = () => DATA_COLOR;
      drawTrainPoints(ctx, frame, pointSet(split.train, 1), { radius, color });
      drawTestPoints(ctx, frame, pointSet(split.test, 1), { radius, color });
    }
    if (grid && grid.values.length === grid.resolution * grid.channels) {
      const { resolution: n, channels, values } = grid;
      const x = (i: number) => grid.extent.xMin + ((grid.extent.xMax - grid.extent.xMin) * (i + 0.5)) / n;
      ctx.beginPath();
      let drawing = false;
      for (let i = 0; i < n; i++) {
        const v = values[i * channels]!;
        if (!Number.isFinite(v)) {
          drawing = false;
          continue;
        }
        if (drawing) ctx.lineTo(frame.x(x(i)), frame.y(v));
        else ctx.moveTo(frame.x(x(i)), frame.y(v));
        drawing = true;
      }
      ctx.lineJoin = 'round';
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgb(12 13 16 / 0.6)';
      ctx.stroke();
      ctx.lineWidth = 2;
      ctx.strokeStyle = CURVE_COLOR;
      ctx.stroke();
    }
  }, [grid, split]);

  return (
    <Pane
      legend={
        <>
          <LegendTitle>Fitted curve</LegendTitle>
          <p className="mt-1 text-[11px] leading-4 text-ink-faint">The model’s prediction across the input range.</p>
          <SplitKeyLegend color={DATA_COLOR} model />
        </>
      }
    >
      <canvas ref={canvasRef} role="img" aria-label="Fitted curve over the data, with the train and test points" style={{ width: CURVE_WIDTH, height: SIZE }} className="block" />
    </Pane>
  );
}
