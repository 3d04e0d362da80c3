/**
 * The data view for image classification: a grid of test images with the model's prediction on
 * each (mistakes ringed in red, with the true label), and the test split's confusion matrix.
 * The worker sends the images once per load (LoadInfo.samples) and predictions with snapshots.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LoadInfo, SampleImages, Snapshot } from '../../worker/protocol';
import { HEATMAP_BACKGROUND, hexToRgb, mix, rgbToCss } from './heatmap';
import { useMonitorRun } from './run';

const TILE = 30;
const CELL = 13;
const CORRECT = '#3ccf91';
const MISTAKE = '#ef4b5b';

export function ImageViews({ info }: { info: LoadInfo }) {
  const samples = info.samples;
  if (!samples) return null;
  return (
    <div className="flex shrink-0 gap-4 border-l border-line py-2 pr-4 pl-3">
      <SampleGrid samples={samples} />
      <ConfusionMatrix names={samples.classNames} />
    </div>
  );
}

function SampleGrid({ samples }: { samples: SampleImages }) {
  const predictions = useMonitorRun((s) => s.samples);
  const usable = predictions && predictions.predicted.length === samples.count ? predictions : null;
  const mistakes = usable ? usable.predicted.reduce((n, p, i) => n + (p === samples.labels[i] ? 0 : 1), 0) : 0;
  return (
    <section aria-label="Test samples" className="flex flex-col">
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="text-xs font-medium text-ink-muted">Test samples</h3>
        <span className="text-[11px] text-ink-faint tabular-nums" data-testid="sample-mistakes">
          {usable ? `${mistakes} of ${samples.count} wrong` : 'no predictions yet'}
        </span>
      </header>
      <ol data-testid="sample-grid" className="mt-1.5 grid grid-cols-8 gap-1">
        {Array.from({ length: samples.count }, (_, i) => (
          <SampleTile key={i} samples={samples} index={i} predictions={usable} />
        ))}
      </ol>
      <ul className="mt-auto flex gap-3 pt-1.5 text-[11px] text-ink-faint" aria-label="Sample key">
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="font-mono text-[10px] font-semibold" style={{ color: CORRECT }}>
            7
          </span>
          predicted, right
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="size-2.5 rounded-[3px] border-[1.5px]" style={{ borderColor: MISTAKE }} />
          wrong (true label after the arrow)
        </li>
      </ul>
    </section>
  );
}

function SampleTile({ samples, index, predictions }: { samples: SampleImages; index: number; predictions: Snapshot['samples'] | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current!;
    const { rows, cols, pixels } = samples;
    canvas.width = cols;
    canvas.height = rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(cols, rows);
    const offset = index * rows * cols;
    for (let k = 0; k < rows * cols; k++) {
      const v = pixels[offset + k]!;
      image.data[4 * k] = v;
      image.data[4 * k + 1] = v;
      image.data[4 * k + 2] = v;
      image.data[4 * k + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [samples, index]);

  const label = samples.labels[index]!;
  const name = (c: number) => samples.classNames[c] ?? String(c);
  const predicted = predictions?.predicted[index];
  const wrong = predicted !== undefined && predicted !== label;
  const confidence = predictions ? Math.round(predictions.confidence[index]! * 100) : 0;
  const title =
    predicted === undefined ? `True: ${name(label)}` : wrong ? `Wrong: predicted ${name(predicted)} (${confidence}%), true ${name(label)}` : `Right: ${name(predicted)} (${confidence}%)`;
  return (
    <li title={title} aria-label={title} data-wrong={wrong ? 'true' : 'false'} className="flex flex-col items-center">
      <canvas
        ref={ref}
        aria-hidden="true"
        className="rounded-[3px] border-[1.5px] [image-rendering:pixelated]"
        style={{ width: TILE, height: TILE, borderColor: wrong ? MISTAKE : 'transparent' }}
      />
      <span className="h-3 font-mono text-[10px] leading-3 font-semibold tabular-nums" style={{ color: predicted === undefined ? undefined : wrong ? MISTAKE : CORRECT }}>
        {predicted === undefined ? '·' : wrong ? `${shortName(name(predicted))}→${shortName(name(label))}` : shortName(name(predicted))}
      </span>
    </li>
  );
}

/** Class names on tiles: digits as they are, words cut to a few letters (the tooltip has the full name). */
function shortName(name: string): string {
  return name.length <= 3 ? name : name.slice(0, 3);
}

function ConfusionMatrix({ names }: { names: string[] }) {
  const confusion = useMonitorRun((s) => s.confusion);
  const k = names.length;
  const usable = confusion && confusion.classes === k ? confusion : null;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ t: number; p: number } | null>(null);
  const rowTotals = useMemo(() => {
    const totals = new Array<number>(k).fill(0);
    if (usable) for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) totals[t]! += usable.counts[t * k + p]!;
    return totals;
  }, [usable, k]);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = k * CELL * dpr;
    canvas.height = k * CELL * dpr;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    const background = hexToRgb(HEATMAP_BACKGROUND);
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const share = usable && rowTotals[t]! > 0 ? usable.counts[t * k + p]! / rowTotals[t]! : 0;
        ctx.fillStyle = rgbToCss(cellColor(share, t === p, background));
        ctx.fillRect(p * CELL, t * CELL, CELL - 1, CELL - 1);
      }
    }
  }, [usable, rowTotals, k]);

  const cellText = (t: number, p: number): string => {
    if (!usable) return '';
    const n = usable.counts[t * k + p]!;
    const share = rowTotals[t]! > 0 ? Math.round((n / rowTotals[t]!) * 100) : 0;
    return t === p ? `${names[t]}: ${n} of ${rowTotals[t]} right (${share}%)` : `True ${names[t]}, predicted ${names[p]}: ${n} (${share}% of ${names[t]})`;
  };
  const accuracy = usable ? Array.from({ length: k }, (_, c) => usable.counts[c * k + c]!).reduce((a, b) => a + b, 0) / Math.max(1, rowTotals.reduce((a, b) => a + b, 0)) : null;

  return (
    <section aria-label="Confusion matrix" className="flex flex-col">
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="text-xs font-medium text-ink-muted">Confusion (test)</h3>
        <span className="text-[11px] text-ink-faint tabular-nums">{accuracy === null ? '' : `${(accuracy * 100).toFixed(1)}% right`}</span>
      </header>
      <div className="mt-1.5 flex gap-1">
        <span className="rotate-180 text-center text-[10px] leading-3 text-ink-faint [writing-mode:vertical-rl]">true</span>
        <div>
          <canvas
            ref={canvasRef}
            data-testid="confusion-matrix"
            data-total={usable ? rowTotals.reduce((a, b) => a + b, 0) : 0}
            role="img"
            aria-label={accuracy === null ? 'Confusion matrix: no evaluation yet' : `Confusion matrix of the test split, ${(accuracy * 100).toFixed(1)}% on the diagonal`}
            title={hover ? cellText(hover.t, hover.p) : undefined}
            className="block cursor-crosshair"
            style={{ width: k * CELL, height: k * CELL }}
            onMouseMove={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              const p = Math.floor((e.clientX - r.left) / CELL);
              const t = Math.floor((e.clientY - r.top) / CELL);
              setHover(p >= 0 && p < k && t >= 0 && t < k ? { t, p } : null);
            }}
            onMouseLeave={() => setHover(null)}
          />
          <p className="mt-0.5 text-center text-[10px] leading-3 text-ink-faint">predicted</p>
        </div>
      </div>
      <p className="mt-auto w-44 truncate pt-1 text-[11px] text-ink-muted">
        {hover ? cellText(hover.t, hover.p) : 'Share of each true class'}
      </p>
      <div className="flex items-center gap-1.5 text-[11px] text-ink-faint" aria-label="Confusion key">
        <span aria-hidden="true" className="h-2 w-6 rounded-sm" style={{ background: `linear-gradient(to right, ${HEATMAP_BACKGROUND}, ${CORRECT})` }} />
        right
        <span aria-hidden="true" className="ml-2 h-2 w-6 rounded-sm" style={{ background: `linear-gradient(to right, ${HEATMAP_BACKGROUND}, ${MISTAKE})` }} />
        wrong
      </div>
    </section>
  );
}

/**
 * Diagonal cells in green by the share of their class predicted right; off-diagonal cells in red,
 * on a square-root scale so that a 5% confusion is already plain to see.
 */
export function cellColor(share: number, diagonal: boolean, background: readonly [number, number, number]): readonly [number, number, number] {
  if (diagonal) return mix(background, hexToRgb(CORRECT), 0.15 + 0.85 * share);
  return share <= 0 ? mix(background, [255, 255, 255], 0.03) : mix(background, hexToRgb(MISTAKE), 0.12 + 0.88 * Math.sqrt(share));
}
