/**
 * The Runs view: every kept run, newest first, to rename, pin, delete (with undo) or open again;
 * the chosen ones overlaid — train loss and test metric over steps, and the gradient RMS by depth
 * at the end of each run, where a deep sigmoid stack's line falls toward the input and ReLU + He's
 * stays level — with a table of the numbers. The run that trains now is listed live.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { parseModelObject } from '../../engine/model';
import { OverlayChart } from '../charts/OverlayChart';
import { fromModelDefinition } from '../graph/document';
import { formatLoss, formatMetric, formatTick } from '../monitor/series';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { training, useTraining } from '../training/store';
import { Dialog } from '../ui/Dialog';
import { DraftInput } from '../ui/DraftInput';
import { alignLines, depthLine, formatRatio, lossLine, metricLine, runFigures } from './compare';
import { depthProfile, stepAt, type RunEnd, type RunRecord } from './record';
import { datasetName, keepRun, runs, useRuns } from './runs';
import { MAX_RUNS } from './store';

/** One color per chosen place (Tableau 10, which stays apart on the dark canvas), by the order chosen. */
export const RUN_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7'] as const;

const END_LABEL: Record<RunEnd, string> = { done: 'Finished', diverged: 'Diverged', stopped: 'Stopped', training: 'Training' };
const END_STYLE: Record<RunEnd, string> = {
  done: 'border-accent/40 bg-accent/10 text-accent-hover',
  diverged: 'border-danger/50 bg-danger/10 text-danger-ink',
  stopped: 'border-line text-ink-muted',
  training: 'border-ok/40 bg-ok/10 text-ok',
};

/** Whether this tab has offered its default choice yet. */
let choiceOffered = false;

export function RunsDialog() {
  const close = () => useUi.getState().openDialog(null);
  const all = useRuns((s) => s.runs);
  const chosenIds = useRuns((s) => s.chosen);
  const loaded = useRuns((s) => s.loaded);
  const storageProblem = useRuns((s) => s.storageProblem);
  const capNotice = useRuns((s) => s.capNotice);
  const [deleted, setDeleted] = useState<RunRecord | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  useLiveRun();

  // Nothing chosen on the first opening (stored runs, no remembered choice): the two newest, so the view opens on a comparison. Later, an empty choice is the person's.
  useEffect(() => {
    if (!loaded || choiceOffered) return;
    choiceOffered = true;
    const { chosen, runs: list, choiceSaved } = runs.store.getState();
    if (!choiceSaved && chosen.length === 0 && list.length > 0) runs.setChosen(list.slice(0, 2).map((r) => r.id).reverse());
  }, [loaded]);

  const chosen = useMemo(() => chosenIds.map((id) => all.find((r) => r.id === id)).filter((r): r is RunRecord => r !== undefined), [all, chosenIds]);
  const colorOf = (id: string): string | undefined => {
    const i = chosenIds.indexOf(id);
    return i < 0 ? undefined : RUN_COLORS[i % RUN_COLORS.length];
  };

  // The Delete button goes with its row: the focus moves to Undo.
  const remove = (r: RunRecord) => {
    runs.delete(r.id);
    flushSync(() => setDeleted(r));
    undoButton.current?.focus();
  };
  // Undo goes with its message: the focus moves to the run brought back.
  const undo = (r: RunRecord) => {
    runs.restore(r);
    flushSync(() => setDeleted(null));
    listRef.current?.querySelector<HTMLInputElement>(`[data-run-id="${CSS.escape(r.id)}"] input[type="checkbox"]`)?.focus();
  };

  return (
    <Dialog title="Compare runs" description={`Every run is kept here when it finishes, is paused or reset, or its graph changes — the last ${MAX_RUNS} (pinned runs stay). Choose runs to overlay them.`} onClose={close} width="max-w-6xl">
      <div data-testid="runs-view" className="grid min-h-[460px] grid-cols-[300px_minmax(0,1fr)]">
        <section aria-label="Kept runs" className="flex min-h-0 flex-col border-r border-line">
          {storageProblem && (
            <p role="alert" className="m-3 mb-0 rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-[12px] leading-5 text-warn">
              Runs are kept in this tab only: {storageProblem}.
            </p>
          )}
          {capNotice && (
            <p role="alert" className="m-3 mb-0 rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-[12px] leading-5 text-warn">
              {capNotice}
            </p>
          )}
          {/* Always in the page, so a screen reader hears what is put in it. */}
          <div role="status" className={deleted ? 'm-3 mb-0 flex items-center justify-between gap-2 rounded-md border border-line bg-raised px-3 py-1.5 text-[12px] text-ink-muted' : 'sr-only'}>
            {deleted && (
              <>
                <span className="min-w-0 truncate">Deleted “{deleted.name}”.</span>
                <button
                  ref={undoButton}
                  type="button"
                  className="shrink-0 rounded px-1.5 py-0.5 font-medium text-accent-hover hover:bg-hover"
                  aria-label={`Undo deleting ${deleted.name}`}
                  onClick={() => undo(deleted)}
                >
                  Undo
                </button>
              </>
            )}
          </div>
          {all.length === 0 ? (
            <p className="p-5 text-[13px] leading-5 text-ink-faint">{loaded ? 'No runs yet. Press Train: each run is kept here when it finishes, is paused or reset, or its graph changes.' : 'Reading the kept runs…'}</p>
          ) : (
            <ul ref={listRef} className="flex-1 space-y-1.5 overflow-y-auto p-3">
              {all.map((r) => (
                <RunRow key={r.id} run={r} color={colorOf(r.id)} onDelete={() => remove(r)} onOpen={close} />
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Chosen runs compared" className="min-w-0 space-y-4 p-5">
          {chosen.length === 0 ? (
            <p className="grid h-full place-items-center text-[13px] text-ink-faint">{all.length === 0 ? 'Train a model to see its run here.' : 'Tick runs on the left to compare them.'}</p>
          ) : (
            <Comparison runs={chosen} colors={chosen.map((r) => colorOf(r.id)!)} />
          )}
        </section>
      </div>
    </Dialog>
  );
}

/** While the view is open, the run that trains now is in the list (not stored until it ends), updated about once a second. */
function useLiveRun(): void {
  const version = useTraining((s) => s.historyVersion);
  const [shown, setShown] = useState(0);
  useEffect(() => {
    const wait = Math.max(0, shown + 1000 - Date.now());
    const timer = setTimeout(() => {
      const run = training.currentRun();
      if (run) keepRun(run, false);
      setShown(Date.now());
    }, wait);
    return () => clearTimeout(timer);
    // `shown` is not a reason to look again: only a grown history is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
}

function RunRow({ run, color, onDelete, onOpen }: { run: RunRecord; color: string | undefined; onDelete: () => void; onOpen: () => void }) {
  const figures = runFigures(run);
  const open = () => {
    const parsed = parseModelObject(run.model);
    if (!parsed.ok) {
      graphStore.getState().notify('error', `The graph of “${run.name}” cannot be opened: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}. Your graph is unchanged.`);
      return;
    }
    const store = graphStore.getState();
    const hadWork = store.doc.nodes.length > 0;
    store.replaceDocument(fromModelDefinition(parsed.model));
    store.notify('info', hadWork ? `Opened the graph of “${run.name}”. Undo (Ctrl+Z) brings your previous graph back.` : `Opened the graph of “${run.name}”.`);
    onOpen();
    requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
  };
  return (
    <li
      data-testid="run-row"
      data-run-id={run.id}
      data-chosen={color !== undefined}
      className={`rounded-lg border px-2.5 py-2 transition-colors ${color ? 'border-line-strong bg-raised' : 'border-line hover:bg-raised/60'}`}
    >
      <div className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={color !== undefined}
          onChange={() => runs.toggleChosen(run.id)}
          aria-label={`Compare ${run.name}`}
          className="size-3.5 shrink-0 cursor-pointer"
          style={{ accentColor: color ?? '#6d707b' }}
        />
        <span aria-hidden="true" className="size-2.5 shrink-0 rounded-full" style={{ background: color ?? 'transparent', boxShadow: color ? undefined : 'inset 0 0 0 1px #30323b' }} />
        <DraftInput
          id={`run-name-${run.id}`}
          value={run.name}
          invalid={false}
          inputMode="text"
          ariaLabel={`Run name: ${run.name}`}
          className="h-6 min-w-0 flex-1 rounded border border-transparent bg-transparent px-1 text-[13px] font-medium text-ink hover:border-line focus:border-accent focus:bg-canvas"
          onCommit={(text) => runs.rename(run.id, text)}
        />
        <button
          type="button"
          aria-pressed={run.pinned}
          aria-label={`Pin ${run.name}`}
          title={run.pinned ? 'Pinned: never dropped to make room. Click to unpin.' : 'Pin this run so it is never dropped to make room'}
          onClick={() => runs.setPinned(run.id, !run.pinned)}
          className={`grid size-6 shrink-0 place-items-center rounded ${run.pinned ? 'text-warn' : 'text-ink-faint hover:bg-hover hover:text-ink'}`}
        >
          <svg viewBox="0 0 16 16" className="size-3.5" fill={run.pinned ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" aria-hidden="true">
            <path d="M6 2.5h4l-.5 4 2.5 2.5H4l2.5-2.5zM8 9v4.5" />
          </svg>
        </button>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-0.5 pl-[42px] text-[11.5px] leading-4 text-ink-faint">
        <span className={`rounded-full border px-1.5 py-px text-[10.5px] font-medium ${END_STYLE[run.end]}`}>{END_LABEL[run.end]}</span>
        <span>
          {datasetName(run.dataset)} · {run.layers} layers
        </span>
        <span>
          {figures.steps.toLocaleString('en-US')} steps{figures.test !== null ? ` · ${formatMetric(run.metric, figures.test)} test` : ''} · {ago(run.updatedAt)}
        </span>
      </div>
      <div className="mt-1.5 flex gap-1 pl-[42px]">
        <button type="button" onClick={open} className="rounded px-1.5 py-0.5 text-[12px] text-ink-muted hover:bg-hover hover:text-ink" aria-label={`Open the graph of ${run.name}`}>
          Open graph
        </button>
        <button type="button" onClick={onDelete} className="rounded px-1.5 py-0.5 text-[12px] text-ink-faint hover:bg-danger/10 hover:text-danger-ink" aria-label={`Delete ${run.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}

function Comparison({ runs: chosen, colors }: { runs: RunRecord[]; colors: string[] }) {
  const metrics = new Set(chosen.map((r) => r.metric));
  const metric = metrics.size === 1 ? chosen[0]!.metric : null;
  const metricTitle = metric === 'accuracy' ? 'Test accuracy' : metric === 'mae' ? 'Test error (MAE)' : 'Test metric (accuracy or MAE)';
  const loss = useMemo(() => alignLines(chosen.map(lossLine)), [chosen]);
  const test = useMemo(() => alignLines(chosen.map(metricLine)), [chosen]);
  // The moment the depth chart shows, as a share of each run's recorded steps (runs differ in length).
  const [at, setAt] = useState(1);
  const depth = useMemo(() => alignLines(chosen.map((r) => depthLine(r, at))), [chosen, at]);
  // "at the end of", "at the start of", "25% into".
  const moment = at === 1 ? 'at the end of' : at === 0 ? 'at the start of' : `${Math.round(at * 100)}% into`;
  const names = chosen.map((r) => r.name).join(', ');
  return (
    <>
      <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1">
        {chosen.map((r, i) => (
          <li key={r.id} className="flex min-w-0 items-center gap-1.5 text-[12px] text-ink-muted">
            <span aria-hidden="true" className="h-0.5 w-4 shrink-0 rounded" style={{ background: colors[i] }} />
            <span className="max-w-[260px] truncate">{r.name}</span>
          </li>
        ))}
      </ul>
      <div className="grid grid-cols-2 gap-4">
        <ChartCard title="Train loss" hint="log scale, over steps" testKind="loss">
          <OverlayChart label={`Train loss over steps of ${names}`} data={loss} colors={colors} logY yFormat={formatTick} xFormat={formatTick} />
        </ChartCard>
        <ChartCard title={metricTitle} hint="at each evaluation" testKind="metric">
          <OverlayChart
            label={`${metricTitle} over steps of ${names}`}
            data={test}
            colors={colors}
            unit={metric === 'accuracy'}
            points={test[0].length < 40}
            yFormat={metric === 'accuracy' ? (v) => `${Math.round(v * 100)}%` : formatTick}
            xFormat={formatTick}
          />
        </ChartCard>
        <ChartCard title="Gradient by depth" hint={`RMS ${moment} each run, log scale`} testKind="depth">
          <OverlayChart label={`Gradient RMS by depth ${moment} ${depthSummary(chosen, at)}`} data={depth} colors={colors} logY points yFormat={formatTick} xFormat={(v) => (Number.isInteger(v) ? String(v) : '')} />
          <p className="mt-1 flex justify-between text-[11px] text-ink-faint">
            <span>← input</span>
            <span>depth, in layers</span>
            <span>output →</span>
          </p>
          <label className="mt-2 flex items-center gap-2 text-[11.5px] text-ink-muted">
            <span className="shrink-0">When</span>
            <input
              type="range"
              min={0}
              max={100}
              step={5}
              value={Math.round(at * 100)}
              onChange={(e) => setAt(Number(e.target.value) / 100)}
              aria-label="When in each run the depth chart shows"
              aria-valuetext={`${at === 1 ? 'the end' : at === 0 ? 'the start' : `${Math.round(at * 100)}% into each run`}${chosen.length === 1 ? `, step ${stepAt(chosen[0]!, at).toLocaleString('en-US')}` : ''}`}
              className="h-1 min-w-0 flex-1 cursor-pointer accent-accent"
            />
            <span className="w-24 shrink-0 text-right tabular-nums">{at === 1 ? 'end' : at === 0 ? 'start' : `${Math.round(at * 100)}%`}</span>
          </label>
        </ChartCard>
        <FiguresTable runs={chosen} colors={colors} />
      </div>
    </>
  );
}

/** "Run 1 (from 3e-6 at depth 1 to 0.02 at depth 17), Run 2 (…)": what the depth chart shows, in words, at a moment of each run. */
function depthSummary(chosen: readonly RunRecord[], at: number): string {
  return chosen
    .map((r) => {
      const p = depthProfile(r, at);
      if (p.length === 0) return `${r.name} (no gradient recorded)`;
      return `${r.name} (from ${formatTick(p[0]!.rms)} at depth ${p[0]!.depth} to ${formatTick(p.at(-1)!.rms)} at depth ${p.at(-1)!.depth})`;
    })
    .join(', ');
}

function ChartCard({ title, hint, testKind, children }: { title: string; hint: string; testKind: string; children: React.ReactNode }) {
  return (
    <figure data-testid="runs-chart" data-kind={testKind} className="min-w-0 rounded-lg border border-line bg-canvas/40 p-3">
      <figcaption className="mb-1.5 flex items-baseline justify-between gap-2">
        <span className="text-[12.5px] font-semibold text-ink">{title}</span>
        <span className="truncate text-[11px] text-ink-faint">{hint}</span>
      </figcaption>
      {children}
    </figure>
  );
}

function FiguresTable({ runs: chosen, colors }: { runs: RunRecord[]; colors: string[] }) {
  return (
    <div className="min-w-0 rounded-lg border border-line bg-canvas/40 p-3">
      <table data-testid="runs-compare" className="w-full text-left text-[12px] whitespace-nowrap tabular-nums">
        <caption className="mb-1.5 text-left text-[12.5px] font-semibold text-ink">At the end of each run</caption>
        <thead className="text-[11px] text-ink-faint">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">Run</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">Steps</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">Loss</th>
            <th scope="col" className="px-2 py-1 text-right font-medium">Test</th>
            <th scope="col" className="py-1 pl-2 text-right font-medium" title="The gradient RMS at the first depth over the last: how much of the signal reaches the first layers">
              First/last
            </th>
          </tr>
        </thead>
        <tbody>
          {chosen.map((r, i) => {
            const f = runFigures(r);
            return (
              <tr key={r.id} className="border-t border-line text-ink-muted">
                <th scope="row" className="max-w-[160px] truncate py-1.5 pr-2 font-medium text-ink">
                  <span aria-hidden="true" className="mr-1.5 inline-block size-2 rounded-full align-middle" style={{ background: colors[i] }} />
                  {r.name}
                </th>
                <td className="px-2 py-1.5 text-right">{f.steps.toLocaleString('en-US')}</td>
                <td className="px-2 py-1.5 text-right">{f.loss === null ? '—' : formatLoss(f.loss)}</td>
                <td className="px-2 py-1.5 text-right">{f.test === null ? '—' : formatMetric(r.metric, f.test)}</td>
                <td className="py-1.5 pl-2 text-right">{f.ratio === null ? '—' : formatRatio(f.ratio)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-2 text-[11px] leading-4 text-ink-faint">First/last: the gradient at the first layers over the gradient at the last — how much of it reaches the input end. Far below 1, the first layers barely learn (a deep sigmoid stack); near 1 or above, every layer learns.</p>
    </div>
  );
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday". */
export function ago(t: number, now = Date.now()): string {
  const s = Math.round((t - now) / 1000);
  if (s > -45) return 'just now';
  if (s > -3600) return relative.format(Math.round(s / 60), 'minute');
  if (s > -86400) return relative.format(Math.round(s / 3600), 'hour');
  return relative.format(Math.round(s / 86400), 'day');
}
