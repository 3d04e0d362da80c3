import { useEffect, useRef, useState } from 'react';
import { ALARM_COLOR, EDGE_METRICS, EXPLODING_FACTOR, legendTicks, mapColor, NO_DATA_COLOR, VANISHING_FACTOR, type EdgeMetric } from '../training/edgeColors';
import { useEdgeView } from '../training/edgeView';

const STOPS = Array.from({ length: 11 }, (_, i) => mapColor(i / 10)).join(', ');
/** The bar is short: at most this many labels, evenly picked, so they never run into each other. */
const MAX_TICKS = 4;

function fewTicks<T>(ticks: readonly T[]): readonly T[] {
  if (ticks.length <= MAX_TICKS) return ticks;
  const every = Math.ceil((ticks.length - 1) / (MAX_TICKS - 1));
  return ticks.filter((_, i) => i % every === 0);
}

/** A label at the bar's ends hangs inward, so it stays under the bar. */
function tickAnchor(t: number): string {
  return t < 0.12 ? 'translateX(0)' : t > 0.88 ? 'translateX(-100%)' : 'translateX(-50%)';
}

/**
 * The legend of the edge colors, compact enough to sit in the canvas bar (over no node): the
 * statistic (switchable), the color bar in real numbers, a freeze switch for the range, and behind
 * "?" what grey, the alarm style and the flags mean. Shown once a run has data.
 */
export function EdgeLegend({ className = '' }: { className?: string }) {
  const metric = useEdgeView((s) => s.metric);
  const range = useEdgeView((s) => s.range);
  const frozen = useEdgeView((s) => s.frozen);
  const [help, setHelp] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const info = EDGE_METRICS[metric];
  const ticks = range ? fewTicks(legendTicks(range, metric)) : [];

  useEffect(() => {
    if (!help) return;
    const close = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setHelp(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [help]);

  return (
    <div ref={root} role="group" aria-label="Edge colors" data-testid="edge-legend" className={`relative flex min-w-0 items-center gap-2 text-xs ${className}`}>
      <label htmlFor="edge-metric" className="sr-only">
        Color edges by
      </label>
      <select
        id="edge-metric"
        value={metric}
        onChange={(e) => useEdgeView.getState().setMetric(e.target.value as EdgeMetric)}
        title={`${info.label}${info.log ? ', log scale' : ''}${range && !frozen ? '; the range adapts to each snapshot' : ''}`}
        className="h-7 w-28 shrink-0 rounded-md border border-line bg-canvas px-1.5 text-xs font-medium text-ink @3xl:w-36"
      >
        {(Object.keys(EDGE_METRICS) as EdgeMetric[]).map((m) => (
          <option key={m} value={m}>
            {EDGE_METRICS[m].label}
          </option>
        ))}
      </select>

      <div className="flex w-32 shrink-0 flex-col gap-0.5 @3xl:w-40 @4xl:w-52" aria-label={range ? `Color scale from ${ticks[0]?.label ?? ''} to ${ticks.at(-1)?.label ?? ''}` : 'No colors yet'}>
        <div className="h-1.5 rounded-full" style={{ background: range ? `linear-gradient(to right, ${STOPS})` : NO_DATA_COLOR }} aria-hidden="true" />
        <div className="relative h-3 font-mono text-[10px] leading-3 text-ink-faint" aria-hidden="true">
          {ticks.map((t) => (
            <span key={t.label} className="absolute whitespace-nowrap tabular-nums" style={{ left: `${t.t * 100}%`, transform: tickAnchor(t.t) }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>

      <ul className="hidden shrink-0 items-center gap-2 text-[11px] text-ink-muted @7xl:flex" aria-label="Flags">
        <li className="flex items-center gap-1">
          <span className="rounded bg-sky-400/90 px-1 text-[9px] leading-3.5 font-semibold text-canvas" aria-hidden="true">
            ▼
          </span>
          vanishing
        </li>
        <li className="flex items-center gap-1">
          <span className="rounded bg-danger px-1 text-[9px] leading-3.5 font-semibold text-white" aria-hidden="true">
            ▲
          </span>
          exploding
        </li>
      </ul>

      <button
        type="button"
        aria-pressed={frozen}
        disabled={!range}
        onClick={() => useEdgeView.getState().setFrozen(!frozen)}
        title={frozen ? 'The color range is frozen: compare colors over time. Click to let it adapt again.' : 'Freeze the color range, to compare colors over time'}
        className={`h-7 shrink-0 rounded-md border px-2 font-medium disabled:opacity-40 ${frozen ? 'border-accent/60 bg-accent/15 text-accent-hover' : 'border-line text-ink-muted hover:border-line-strong hover:text-ink'}`}
      >
        {frozen ? 'Frozen' : 'Freeze'}
      </button>
      <button
        type="button"
        aria-expanded={help}
        aria-controls="edge-legend-help"
        aria-label="About the colors"
        title="What the colors and flags mean"
        onClick={() => setHelp(!help)}
        className={`grid size-7 shrink-0 place-items-center rounded-md border font-semibold ${help ? 'border-accent/60 bg-accent/15 text-accent-hover' : 'border-line text-ink-muted hover:border-line-strong hover:text-ink'}`}
      >
        ?
      </button>

      {help && (
        <div
          id="edge-legend-help"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setHelp(false);
            }
          }}
          className="absolute top-full right-0 z-30 mt-2.5 flex w-80 flex-col gap-2.5 rounded-lg border border-line-strong bg-panel p-3.5 text-[12px] leading-[18px] text-ink-muted shadow-xl shadow-black/40"
        >
          <ul className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-[11px]">
            <li className="flex items-center gap-1.5">
              <span className="h-0.5 w-4 rounded" style={{ background: NO_DATA_COLOR }} aria-hidden="true" />
              no data yet
            </li>
            <li className="flex items-center gap-1.5">
              <span className="h-0 w-4 border-t-2 border-dashed" style={{ borderColor: ALARM_COLOR }} aria-hidden="true" />
              not finite
            </li>
            <li className="flex items-center gap-1.5">
              <span className="rounded bg-sky-400/90 px-1 text-[9px] font-semibold text-canvas">▼</span>
              vanishing
            </li>
            <li className="flex items-center gap-1.5">
              <span className="rounded bg-danger px-1 text-[9px] font-semibold text-white">▲</span>
              exploding
            </li>
          </ul>
          <p>
            Each edge carries a tensor forward and its gradient back. Colors show the <strong className="text-ink">{info.label}</strong> of the latest training batch: {info.help}
          </p>
          <p>
            Brighter and thicker is larger.{info.log ? ' The scale is logarithmic: each step on the bar is ten times the last.' : ''} {frozen ? 'The range is frozen.' : 'The range adapts to each snapshot; freeze it to compare the colors over time.'}
          </p>
          <p>
            Flags compare each edge with the edges into the Output (edges out of Input reach no weights and are not flagged): ▼ when its gradient is {VANISHING_FACTOR}× smaller (the layers before it barely learn), ▲ when {EXPLODING_FACTOR}× larger. Hover a flag for a fix.
          </p>
        </div>
      )}
    </div>
  );
}
