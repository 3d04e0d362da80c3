import { useEffect, useRef } from 'react';
import type { DatasetPreview, PreviewImage, PreviewPoint } from '../../../engine/data';
import { classColor, divergingColor, rgbToCss, valueDomain, type ValueDomain } from '../../monitor/heatmap';
import { SequencesPreview, SeriesPreview, TextPreview } from './SequencePreviews';

interface PreviewFigureProps {
  preview: DatasetPreview;
  /** Samples in the whole dataset (the preview shows the first few). */
  total: number;
  /** Class names, for the legend of a scatter plot and for thumbnails. */
  classNames?: readonly string[];
}

/** The picture of a dataset the picker shows: scatter, curve, the first rows, thumbnails, or sequences (SequencePreviews). */
export function PreviewFigure({ preview, total, classNames }: PreviewFigureProps) {
  switch (preview.kind) {
    case 'points':
      return <ScatterPreview points={preview.points} featureNames={preview.featureNames} classNames={classNames} />;
    case 'curve':
      return <CurvePreview points={preview.points} xName={preview.xName} />;
    case 'table':
      return <TablePreview columns={preview.columns} rows={preview.rows} total={total} />;
    case 'images':
      return <ImageGrid images={preview.images} rows={preview.rows} cols={preview.cols} total={total} classNames={classNames} />;
    case 'series':
      return <SeriesPreview windows={preview.windows} total={total} />;
    case 'sequences':
      return <SequencesPreview sequences={preview.sequences} total={total} />;
    case 'text':
      return <TextPreview text={preview.text} windowLength={preview.windowLength} vocabulary={preview.vocabulary} total={total} />;
  }
}

const FRAME = 'rounded-lg border border-line bg-canvas';

interface Extent {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function extentOf(xs: number[], ys: number[]): Extent {
  const pad = (lo: number, hi: number): [number, number] => {
    const span = hi - lo || 1;
    return [lo - span * 0.06, hi + span * 0.06];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  return { x0, x1, y0, y1 };
}

function ScatterPreview({ points, featureNames, classNames }: { points: PreviewPoint[]; featureNames: [string, string]; classNames?: readonly string[] | undefined }) {
  const size = 100;
  const e = extentOf(
    points.map((p) => p.x1),
    points.map((p) => p.x2),
  );
  const sx = (v: number) => ((v - e.x0) / (e.x1 - e.x0)) * size;
  const sy = (v: number) => size - ((v - e.y0) / (e.y1 - e.y0)) * size;
  const classified = points.some((p) => p.label !== undefined);
  const domain = classified ? null : valueDomain(points.map((p) => p.target));
  const color = (p: PreviewPoint) => (domain ? rgbToCss(divergingColor(p.target, domain)) : classColor(p.target));
  const legend = classNames ?? classNamesOf(points);

  return (
    <figure className={`${FRAME} flex items-stretch gap-3 p-2`}>
      <svg
        viewBox={`0 0 ${size} ${size}`}
        className="size-36 shrink-0 rounded-md bg-panel"
        role="img"
        aria-label={`Scatter plot of the first ${points.length} samples, ${featureNames[0]} across, ${featureNames[1]} up`}
      >
        {e.y0 < 0 && e.y1 > 0 && <line x1={0} x2={size} y1={sy(0)} y2={sy(0)} className="stroke-line-strong" strokeWidth={0.4} />}
        {e.x0 < 0 && e.x1 > 0 && <line y1={0} y2={size} x1={sx(0)} x2={sx(0)} className="stroke-line-strong" strokeWidth={0.4} />}
        {points.map((p, i) => (
          <circle key={i} cx={sx(p.x1)} cy={sy(p.x2)} r={1.15} fill={color(p)} fillOpacity={0.9} />
        ))}
      </svg>
      <figcaption className="flex min-w-0 flex-1 flex-col justify-between py-0.5 text-[11px] leading-4">
        {domain ? <ValueLegend domain={domain} /> : <ClassLegend names={legend} />}
        <span className="font-mono text-[10px] text-ink-faint">
          {featureNames[0]} → · {featureNames[1]} ↑
        </span>
      </figcaption>
    </figure>
  );
}

function ClassLegend({ names }: { names: readonly string[] }) {
  return (
    <ul className="flex flex-col gap-1" aria-label="Classes">
      {names.map((name, c) => (
        <li key={name} className="flex min-w-0 items-center gap-1.5 text-ink-muted">
          <span className="size-2 shrink-0 rounded-full" style={{ background: classColor(c) }} />
          <span className="truncate">{name}</span>
        </li>
      ))}
    </ul>
  );
}

function ValueLegend({ domain }: { domain: ValueDomain }) {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${rgbToCss(divergingColor(domain.lo + t * (domain.hi - domain.lo), domain))} ${t * 100}%`);
  return (
    <div className="flex flex-col gap-1 text-ink-muted">
      <span>Target value</span>
      <span className="h-1.5 w-full rounded-full" style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }} />
      <span className="flex justify-between font-mono text-[10px] text-ink-faint tabular-nums">
        <span>{shortNumber(domain.lo)}</span>
        <span>{shortNumber(domain.hi)}</span>
      </span>
    </div>
  );
}

function CurvePreview({ points, xName }: { points: { x: number; y: number }[]; xName: string }) {
  const w = 256;
  const h = 96;
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const e = extentOf(
    sorted.map((p) => p.x),
    sorted.map((p) => p.y),
  );
  const sx = (v: number) => ((v - e.x0) / (e.x1 - e.x0)) * w;
  const sy = (v: number) => h - ((v - e.y0) / (e.y1 - e.y0)) * h;
  return (
    <figure className={`${FRAME} flex flex-col gap-1.5 p-2`}>
      <svg viewBox={`0 0 ${w} ${h}`} className="h-24 w-full rounded-md bg-panel" role="img" aria-label={`The first ${points.length} samples: target against ${xName}`}>
        {e.y0 < 0 && e.y1 > 0 && <line x1={0} x2={w} y1={sy(0)} y2={sy(0)} className="stroke-line-strong" strokeWidth={0.75} />}
        <polyline points={sorted.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} fill="none" stroke={classColor(1)} strokeOpacity={0.35} strokeWidth={1} />
        {sorted.map((p, i) => (
          <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={1.6} fill={classColor(1)} />
        ))}
      </svg>
      <figcaption className="flex justify-between font-mono text-[10px] text-ink-faint tabular-nums">
        <span>
          {xName} {shortNumber(sorted[0]?.x ?? 0)} … {shortNumber(sorted.at(-1)?.x ?? 0)}
        </span>
        <span>{points.length} samples</span>
      </figcaption>
    </figure>
  );
}

/** Feature columns shown before the rest are elided (the label column is always shown). */
const TABLE_FEATURES = 3;

function TablePreview({ columns, rows, total }: { columns: string[]; rows: (number | string)[][]; total: number }) {
  const features = columns.length - 1;
  const elided = features > TABLE_FEATURES;
  const shown = [...columns.keys()].slice(0, Math.min(features, TABLE_FEATURES));
  const label = columns.length - 1;
  return (
    <figure className={`${FRAME} overflow-hidden`}>
      <table className="w-full table-fixed border-collapse text-[11px]">
        <colgroup>
          {shown.map((j) => (
            <col key={j} />
          ))}
          {elided && <col className="w-4" />}
          <col className="w-[4.5rem]" />
        </colgroup>
        <thead>
          <tr className="border-b border-line text-left align-bottom text-[10px] leading-3 text-ink-faint">
            {shown.map((j) => (
              <th key={j} scope="col" title={columns[j]} className="px-1.5 py-1.5 font-medium">
                <span className="line-clamp-2 break-words">{columns[j]}</span>
              </th>
            ))}
            {elided && (
              <th scope="col" className="py-1.5 font-normal" title={`${features - TABLE_FEATURES} more columns`}>
                <span aria-hidden="true">…</span>
                <span className="sr-only">{features - TABLE_FEATURES} more columns</span>
              </th>
            )}
            <th scope="col" title={columns[label]} className="px-1.5 py-1.5 font-medium text-ink-muted">
              <span className="line-clamp-2 break-words">{columns[label]}</span>
            </th>
          </tr>
        </thead>
        <tbody className="font-mono tabular-nums">
          {rows.map((row, i) => (
            <tr key={i} className="border-b border-line/60 last:border-0">
              {shown.map((j) => (
                <td key={j} className="truncate px-1.5 py-1 text-ink-muted">
                  {cell(row[j])}
                </td>
              ))}
              {elided && <td className="py-1 text-ink-faint">…</td>}
              <td className="truncate px-1.5 py-1 text-ink">{cell(row[label])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption className="border-t border-line px-2 py-1.5 text-[11px] text-ink-faint">
        First {rows.length} of {total.toLocaleString('en-US')} rows · {features} {features === 1 ? 'feature' : 'features'} →{' '}
        <span className="text-ink-muted">{columns[label]}</span>
      </figcaption>
    </figure>
  );
}

function ImageGrid({ images, rows, cols, total, classNames }: { images: PreviewImage[]; rows: number; cols: number; total: number; classNames?: readonly string[] | undefined }) {
  const names = classNames ?? [...new Set(images.map((im) => im.label))];
  return (
    <figure className={`${FRAME} flex flex-col gap-2 p-2`}>
      <div className="grid grid-cols-8 gap-1">
        {images.map((image, i) => (
          <Thumbnail key={i} image={image} rows={rows} cols={cols} />
        ))}
      </div>
      <figcaption className="text-[11px] leading-4 text-ink-faint">
        <span className="text-ink-muted">
          {rows}×{cols}
        </span>{' '}
        · {total.toLocaleString('en-US')} images · {names.length} classes: <span className="text-ink-muted">{listSome(names, 5)}</span>
      </figcaption>
    </figure>
  );
}

function Thumbnail({ image, rows, cols }: { image: PreviewImage; rows: number; cols: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const data = context.createImageData(cols, rows);
    image.pixels.forEach((v, p) => {
      data.data[4 * p] = v;
      data.data[4 * p + 1] = v;
      data.data[4 * p + 2] = v;
      data.data[4 * p + 3] = 255;
    });
    context.putImageData(data, 0, 0);
  }, [image, rows, cols]);
  return (
    <canvas
      ref={ref}
      width={cols}
      height={rows}
      role="img"
      aria-label={image.label}
      title={image.label}
      className="aspect-square w-full rounded-sm bg-black ring-1 ring-line [image-rendering:pixelated]"
    />
  );
}

/** Class names by class id, as the points carry them. */
function classNamesOf(points: PreviewPoint[]): string[] {
  const names: string[] = [];
  for (const p of points) if (p.label !== undefined) names[p.target] ??= p.label;
  return Array.from(names, (name, c) => name ?? `class ${c}`);
}

function cell(v: number | string | undefined): string {
  if (typeof v !== 'number') return v ?? '';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

function shortNumber(v: number): string {
  return String(Number(v.toPrecision(2)));
}

function listSome(names: readonly string[], n: number): string {
  return names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')}, …`;
}
