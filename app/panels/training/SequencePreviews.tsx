import type { PreviewSequence, PreviewSeries } from '../../../engine/data';
import { classColor } from '../../monitor/heatmap';

const FRAME = 'rounded-lg border border-line bg-canvas';

/** Windows of a series, each drawn as a line with the value to forecast as a separate dot after it. */
export function SeriesPreview({ windows, total }: { windows: PreviewSeries[]; total: number }) {
  const steps = windows[0]?.values.length ?? 0;
  const all = windows.flatMap((w) => [...w.values, w.next]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const w = 256;
  const h = 32;
  const sx = (t: number) => 4 + (t / Math.max(1, steps)) * (w - 8);
  const sy = (v: number) => h - 3 - ((v - lo) / (hi - lo || 1)) * (h - 6);
  return (
    <figure className={`${FRAME} flex flex-col gap-1.5 p-2`}>
      {windows.map((win, i) => (
        <svg key={i} viewBox={`0 0 ${w} ${h}`} className="h-8 w-full rounded-md bg-panel" role="img" aria-label={`Window ${i + 1}: ${steps} values, then the next value ${short(win.next)}`}>
          <polyline points={win.values.map((v, t) => `${sx(t)},${sy(v)}`).join(' ')} fill="none" stroke={classColor(1)} strokeWidth={1.2} />
          <line x1={sx(steps - 1)} y1={sy(win.values[steps - 1] ?? win.next)} x2={sx(steps)} y2={sy(win.next)} stroke={classColor(0)} strokeDasharray="2 2" strokeWidth={1} />
          <circle cx={sx(steps)} cy={sy(win.next)} r={2.2} fill={classColor(0)} />
        </svg>
      ))}
      <figcaption className="flex justify-between text-[11px] leading-4 text-ink-faint">
        <span>
          <span className="text-ink-muted">{steps} values</span> → <span style={{ color: classColor(0) }}>the next one</span>
        </span>
        <span>{total.toLocaleString('en-US')} windows</span>
      </figcaption>
    </figure>
  );
}

/** Token sequences in their characters, each with the class the model must name. */
export function SequencesPreview({ sequences, total }: { sequences: PreviewSequence[]; total: number }) {
  const steps = sequences[0]?.tokens.length ?? 0;
  return (
    <figure className={`${FRAME} flex flex-col gap-1 p-2`}>
      <ol className="flex flex-col gap-0.5 font-mono text-[11px] leading-4">
        {sequences.map((s, i) => (
          <li key={i} className="flex min-w-0 items-baseline gap-2">
            <span className="min-w-0 flex-1 truncate tracking-wider text-ink-muted">{s.tokens.join('')}</span>
            <span className="shrink-0 text-ink-faint">→</span>
            <span className="w-4 shrink-0 font-semibold text-ink">{s.label}</span>
          </li>
        ))}
      </ol>
      <figcaption className="text-[11px] leading-4 text-ink-faint">
        First {sequences.length} of {total.toLocaleString('en-US')} sequences · {steps} tokens → the class
      </figcaption>
    </figure>
  );
}

/** The opening of a text, its windows shaded in turn so the sample boundaries show. */
export function TextPreview({ text, windowLength, vocabulary, total }: { text: string; windowLength: number; vocabulary: string[]; total: number }) {
  const chars = Array.from(text);
  const windows = Array.from({ length: Math.ceil(chars.length / windowLength) }, (_, i) => chars.slice(i * windowLength, (i + 1) * windowLength).join(''));
  return (
    <figure className={`${FRAME} flex flex-col gap-1.5 p-2`}>
      <p className="max-h-32 overflow-hidden rounded-md bg-panel p-1.5 font-mono text-[11px] leading-4 break-words whitespace-pre-wrap text-ink-muted">
        {windows.map((w, i) => (
          <span key={i} className={i % 2 === 1 ? 'bg-line/50' : undefined}>
            {w}
          </span>
        ))}
      </p>
      <figcaption className="text-[11px] leading-4 text-ink-faint">
        {total.toLocaleString('en-US')} windows of <span className="text-ink-muted">{windowLength}</span> characters (shaded in turn) · {vocabulary.length} distinct characters · predict each next one
      </figcaption>
    </figure>
  );
}

function short(v: number): string {
  return String(Number(v.toPrecision(2)));
}
