import { useState } from 'react';
import { ALARM_COLOR, EDGE_METRICS, EXPLODING_FACTOR, legendTicks, mapColor, NO_DATA_COLOR, VANISHING_FACTOR, type EdgeMetric } from '../training/edgeColors';
import { useEdgeView } from '../training/edgeView';

const STOPS = Array.from({ length: 11 }, (_, i) => mapColor(i / 10)).join(', ');

/**
 * The legend of the edge colors, on the canvas: the statistic (switchable), the color bar in real
 * numbers, what grey, the alarm style and the flags mean, a freeze switch for the range, and an
 * "About the colors" explanation.
 */
export function EdgeLegend() {
  const metric = useEdgeView((s) => s.metric);
  const range = useEdgeView((s) => s.range);
  const frozen = useEdgeView((s) => s.frozen);
  const [help, setHelp] = useState(false);
  const info = EDGE_METRICS[metric];
  const ticks = range ? legendTicks(range, metric) : [];

  return (
    <div role="group" aria-label="Edge colors" data-testid="edge-legend" className="absolute top-3 right-3 z-10 w-64 rounded-lg border border-line bg-panel/95 p-3 text-xs shadow-lg shadow-black/30 backdrop-blur-sm">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor="edge-metric" className="sr-only">
          Color edges by
        </label>
        <select
          id="edge-metric"
          value={metric}
          onChange={(e) => useEdgeView.getState().setMetric(e.target.value as EdgeMetric)}
          className="h-7 min-w-0 flex-1 rounded-md border border-line bg-canvas px-1.5 text-xs font-medium text-ink"
        >
          {(Object.keys(EDGE_METRICS) as EdgeMetric[]).map((m) => (
            <option key={m} value={m}>
              {EDGE_METRICS[m].label}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-pressed={frozen}
          disabled={!range}
          onClick={() => useEdgeView.getState().setFrozen(!frozen)}
          title={frozen ? 'The color range is frozen: compare colors over time. Click to let it adapt again.' : 'Freeze the color range, to compare colors over time'}
          className={`h-7 rounded-md border px-2 font-medium disabled:opacity-40 ${frozen ? 'border-accent/60 bg-accent/15 text-accent-hover' : 'border-line text-ink-muted hover:text-ink'}`}
        >
          {frozen ? 'Frozen' : 'Freeze'}
        </button>
        <button
          type="button"
          aria-expanded={help}
          aria-label="About the colors"
          onClick={() => setHelp(!help)}
          className="grid size-7 place-items-center rounded-md border border-line font-semibold text-ink-muted hover:text-ink"
        >
          ?
        </button>
      </div>

      <div className="mt-2.5">
        <div className="h-2.5 rounded-sm" style={{ background: range ? `linear-gradient(to right, ${STOPS})` : NO_DATA_COLOR }} aria-hidden="true" />
        <div className="relative mt-1 h-4 font-mono text-[10px] text-ink-faint">
          {range ? (
            ticks.map((t) => (
              <span key={t.label} className="absolute -translate-x-1/2 whitespace-nowrap tabular-nums" style={{ left: `${Math.min(92, Math.max(8, t.t * 100))}%` }}>
                {t.label}
              </span>
            ))
          ) : (
            <span>Train to color the edges</span>
          )}
        </div>
        <p className="mt-0.5 text-[10px] text-ink-faint">
          {info.label}
          {info.log ? ', log scale' : ''}
          {range && !frozen ? ' · range adapts' : ''}
        </p>
      </div>

      <ul className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-[11px] text-ink-muted">
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

      {help && (
        <div className="mt-3 flex flex-col gap-2 border-t border-line pt-2.5 text-[11px] leading-4 text-ink-muted">
          <p>
            Each edge carries a tensor forward and its gradient back. Colors show the <strong className="text-ink">{info.label.toLowerCase()}</strong> of the latest training batch: {info.help}
          </p>
          <p>Brighter and thicker is larger. The scale is logarithmic: each step on the bar is ten times the last. Freeze it to compare the colors over time.</p>
          <p>
            Flags compare each edge with the edges into the Output (edges out of Input reach no weights and are not flagged): ▼ when its gradient is {VANISHING_FACTOR}× smaller (the layers before it barely learn), ▲ when {EXPLODING_FACTOR}× larger. Hover a
            flag for a fix.
          </p>
        </div>
      )}
    </div>
  );
}
