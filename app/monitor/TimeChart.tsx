/**
 * A uPlot chart of two series over steps (train and test), with a legend that shows the latest
 * values, or the values under the cursor. One uPlot instance lives as long as its options: data
 * goes in with `setData` when the run's history grows, once per task (a microtask after the store
 * changes), so the canvas and the legend's text change before the same frame rather than the
 * legend costing a second one; the size follows the container through a ResizeObserver.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './monitor.css';
import { useTraining } from '../training/store';
import type { RunHistory } from '../training/history';
import { formatTick, logSplits, valueAtOrBefore, type ChartData } from './series';

export const SERIES_COLORS = { train: '#6c72f4', test: '#f2b33d' } as const;

const AXIS_COLOR = '#6d707b';
const GRID_COLOR = '#24262d';
const AXIS_FONT = '10px Inter, InterVariable, system-ui, sans-serif';

export interface ChartSeries {
  label: string;
  color: string;
  /** Shade the area under the line. */
  fill?: boolean;
  /** Draw a dot at each point (for sparse series such as evaluations). */
  points?: boolean;
}

/** How the y axis spans the data: from zero up, fixed to [0, 1], or logarithmic. */
export type YScale = 'zero' | 'unit' | 'log';

interface TimeChartProps {
  title: string;
  /** Names the chart for assistive technology. */
  label: string;
  series: readonly [ChartSeries, ChartSeries];
  /** Builds the chart's data from the history. Keep its identity stable: a new one rebuilds the chart. */
  build: (history: RunHistory) => ChartData;
  y: YScale;
  format: (v: number) => string;
  yTick?: (v: number) => string;
  /** Controls at the right of the header. */
  actions?: ReactNode;
  emptyText: string;
  /** A dashed reference line (a baseline the run should get under), named in the legend. */
  guide?: { value: number; label: string };
  /** Vertical marks at steps where something changed (a new learning rate). Keep its identity stable. */
  markers?: (history: RunHistory) => ChartMarker[];
}

export interface ChartMarker {
  step: number;
  label: string;
}

const MARKER_COLOR = '#f2c14e';

const GUIDE_COLOR = '#a1a4ae';

interface LegendState {
  values: (number | null)[];
  /** The step under the cursor, when hovering. */
  step: number | null;
  empty: boolean;
}

export function TimeChart({ title, label, series, build, y, format, yTick = formatTick, actions, emptyText, guide, markers }: TimeChartProps) {
  const guideValue = guide?.value;
  const hostRef = useRef<HTMLDivElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const [legend, setLegend] = useState<LegendState>({ values: [null, null], step: null, empty: true });
  const [marks, setMarks] = useState<ChartMarker[]>([]);

  useEffect(() => {
    const host = hostRef.current!;
    const mount = mountRef.current!;
    let pending = false;
    let live = true;
    let shownIdx: number | null | undefined;
    let shownMarks: ChartMarker[] = [];

    const showLegend = (u: uPlot, force: boolean) => {
      const idx = u.cursor.idx ?? null;
      if (!force && idx === shownIdx) return;
      shownIdx = idx;
      const data = u.data as unknown as ChartData;
      setLegend({
        values: [valueAtOrBefore(data[1], idx), valueAtOrBefore(data[2], idx)],
        step: idx === null ? null : (data[0][idx] ?? null),
        empty: data[0].length === 0,
      });
    };

    const axis: uPlot.Axis = {
      stroke: AXIS_COLOR,
      font: AXIS_FONT,
      grid: { stroke: GRID_COLOR, width: 1 },
      ticks: { stroke: GRID_COLOR, width: 1, size: 3 },
      gap: 3,
    };
    const yScale: uPlot.Scale =
      y === 'log'
        ? { distr: 3, log: 10 }
        : y === 'unit'
          ? { range: [0, 1] }
          : {
              range: (_u, _min, max) => {
                const top = Math.max(max !== null && Number.isFinite(max) ? max : 0, guideValue ?? 0);
                return [0, top > 0 ? top * 1.08 : 1];
              },
            };
    const options: uPlot.Options = {
      width: Math.max(1, host.clientWidth),
      height: Math.max(1, host.clientHeight),
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7, width: 2 }, y: false },
      scales: { x: { time: false }, y: yScale },
      axes: [
        { ...axis, size: 20, values: (_u, splits) => splits.map(formatTick) },
        {
          ...axis,
          size: 38,
          values: (_u, splits) => splits.map((v) => (v === null ? '' : yTick(v))),
          // Our own log ticks, every one labelled (uPlot's default labels only some).
          ...(y === 'log' ? { splits: (_u, _axis, min, max) => logSplits(min, max), filter: (_u, splits) => splits } : {}),
        },
      ],
      series: [
        { label: 'step' },
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            spanGaps: true,
            ...(s.fill ? { fill: `${s.color}14` } : {}),
            points: s.points ? { show: true, size: 4, fill: s.color, stroke: s.color } : { show: false },
          }),
        ),
      ],
      hooks: {
        setCursor: [(u) => showLegend(u, false)],
        draw: [
          (u: uPlot) => drawMarkers(u, shownMarks),
          ...(guideValue !== undefined
            ? [
                (u: uPlot) => {
                  const yPos = u.valToPos(guideValue, 'y', true);
                  if (!Number.isFinite(yPos) || yPos < u.bbox.top || yPos > u.bbox.top + u.bbox.height) return;
                  const ctx = u.ctx;
                  ctx.save();
                  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
                  ctx.strokeStyle = GUIDE_COLOR;
                  ctx.lineWidth = devicePixelRatio;
                  ctx.beginPath();
                  ctx.moveTo(u.bbox.left, Math.round(yPos) + 0.5);
                  ctx.lineTo(u.bbox.left + u.bbox.width, Math.round(yPos) + 0.5);
                  ctx.stroke();
                  ctx.restore();
                },
              ]
            : []),
        ],
      },
    };
    const chart = new uPlot(options, [[], [], []], mount);

    const draw = () => {
      pending = false;
      if (!live) return;
      const history = useTraining.getState().history;
      const nextMarks = markers?.(history) ?? [];
      const marksChanged = nextMarks.length !== shownMarks.length || nextMarks.some((m, i) => m.step !== shownMarks[i]!.step || m.label !== shownMarks[i]!.label);
      if (marksChanged) shownMarks = nextMarks;
      chart.setData(build(history) as unknown as uPlot.AlignedData);
      // The legend and marks commit now, beside the store's own render, not in a task of their own that costs a second frame.
      flushSync(() => {
        if (marksChanged) setMarks(nextMarks);
        showLegend(chart, true);
      });
    };
    const schedule = () => {
      if (pending) return;
      pending = true;
      queueMicrotask(draw);
    };
    schedule();
    const unsubscribe = useTraining.subscribe((state, previous) => {
      if (state.historyVersion !== previous.historyVersion) schedule();
    });
    const resize = new ResizeObserver(() => {
      const width = Math.max(1, Math.floor(host.clientWidth));
      const height = Math.max(1, Math.floor(host.clientHeight));
      if (width !== chart.width || height !== chart.height) chart.setSize({ width, height });
    });
    resize.observe(host);
    return () => {
      unsubscribe();
      resize.disconnect();
      live = false;
      chart.destroy();
    };
  }, [build, series, y, yTick, guideValue, markers]);

  return (
    <div className="flex min-w-0 flex-1 flex-col">
      <header className="shrink-0 pt-2 pr-2 pb-1 pl-3">
        <div className="flex h-6 items-center gap-2">
          <h3 className="text-xs font-medium text-ink-muted">{title}</h3>
          <span className="ml-auto font-mono text-[11px] whitespace-nowrap text-ink-faint tabular-nums">
            {legend.step !== null && `step ${legend.step.toLocaleString('en-US')}`}
          </span>
          {actions}
        </div>
        <ul className="flex h-4 items-center gap-3 overflow-hidden" aria-label={`${title} legend`}>
          {series.map((s, i) => (
            <li key={s.label} className="flex items-center gap-1.5 text-[11px] whitespace-nowrap text-ink-faint">
              <span aria-hidden="true" className="h-0.5 w-3 rounded-full" style={{ backgroundColor: s.color }} />
              {s.label}
              <span className="font-mono text-ink tabular-nums">{legend.values[i] === null || legend.values[i] === undefined ? '–' : format(legend.values[i]!)}</span>
            </li>
          ))}
          {marks.length > 0 && (
            <li className="flex min-w-0 items-center gap-1.5 text-[11px] whitespace-nowrap text-ink-faint" title={marks.map((m) => `step ${m.step.toLocaleString('en-US')}: ${m.label}`).join('\n')}>
              <span aria-hidden="true" className="h-3 border-l border-dashed" style={{ borderColor: MARKER_COLOR }} />
              <span className="truncate">{marks.at(-1)!.label}</span>
            </li>
          )}
          {guide && (
            <li className="flex items-center gap-1.5 text-[11px] whitespace-nowrap text-ink-faint" title="A reference the model should get under">
              <span aria-hidden="true" className="w-3 border-t border-dashed" style={{ borderColor: GUIDE_COLOR }} />
              {guide.label}
              <span className="font-mono text-ink-muted tabular-nums">{format(guide.value)}</span>
            </li>
          )}
        </ul>
      </header>
      <div ref={hostRef} role="img" aria-label={label} className="relative min-h-0 flex-1 overflow-hidden">
        <div ref={mountRef} className="absolute inset-0" />
        {marks.length > 0 && (
          <ul className="sr-only" aria-label={`${title} marks`} data-testid="chart-marks">
            {marks.map((m, i) => (
              <li key={i} data-step={m.step}>
                step {m.step}: {m.label}
              </li>
            ))}
          </ul>
        )}
        {legend.empty && <p className="pointer-events-none absolute inset-0 flex items-center justify-center pl-9 text-xs text-ink-faint">{emptyText}</p>}
      </div>
    </div>
  );
}

/** Vertical dashed lines at the markers' steps, inside the plot. */
function drawMarkers(u: uPlot, marks: readonly ChartMarker[]): void {
  if (marks.length === 0) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.strokeStyle = MARKER_COLOR;
  ctx.lineWidth = devicePixelRatio;
  for (const m of marks) {
    const x = u.valToPos(m.step, 'x', true);
    if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, u.bbox.top);
    ctx.lineTo(Math.round(x) + 0.5, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}
