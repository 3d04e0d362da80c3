/**
 * The app's one runs store (store.ts over the global IndexedDB), fed by the training controller:
 * each run that ends is recorded (record.ts) under its run key, so a run paused and resumed stays
 * one run. A run still training is written every few seconds and when the tab is hidden (a reload
 * or a closed tab loses at most its last seconds), and shown live in the Runs view.
 */
import { useStore } from 'zustand';
import { findBuiltinDataset } from '../../engine/data';
import { getLayer } from '../../engine/layers/registry';
import type { GraphDocument } from '../graph/document';
import { CSV_DATASET_ID } from '../state/csvReading';
import type { RunAtEnd } from '../training/controller';
import { recordRun, type RunRecord } from './record';
import { createRunsStore, nextRunNumber, openRunsChannel, type RunsState } from './store';

export const runs = createRunsStore({ choiceStorage: localStorageIfAny(), channel: openRunsChannel() });

function localStorageIfAny(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // reading it throws SecurityError where storage is blocked
  }
}

export const useRuns = <T>(selector: (s: RunsState) => T): T => useStore(runs.store, selector);

const OPTIMIZER_NAMES: Record<GraphDocument['training']['optimizer'], string> = { sgd: 'SGD', momentum: 'Momentum', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW' };

/** "Run 3 · ReLU · Adam 0.01": its number, the activations it uses (the usual thing compared), its optimizer and learning rate. */
export function defaultRunName(doc: GraphDocument, n: number): string {
  const activations = [...new Set(doc.nodes.map((node) => getLayer(node.type)).filter((l) => l?.category === 'Activations').map((l) => l!.label))];
  const act = activations.length === 0 ? 'no activation' : activations.slice(0, 2).join(' + ') + (activations.length > 2 ? ' …' : '');
  const optimizer = OPTIMIZER_NAMES[doc.training.optimizer];
  return `Run ${n} · ${act} · ${optimizer} ${doc.training.learningRate}`;
}

/** The dataset's display name. */
export function datasetName(id: string): string {
  return findBuiltinDataset(id)?.name ?? (id === CSV_DATASET_ID ? 'Your CSV' : id);
}

/** The highest run number given in this session. */
let lastNumber = 0;

/** Records a run (or updates its record); `persist: false` keeps it in this session only. Returns the record, or null for a run with no step. */
export function keepRun(run: RunAtEnd, persist = true): RunRecord | null {
  const previous = runs.find(run.key);
  // Numbers only go up in a session, so a run deleted does not hand its number to the next.
  const number = previous ? lastNumber : Math.max(lastNumber + 1, nextRunNumber(runs.store.getState().runs));
  const record = recordRun({
    id: run.key,
    name: previous?.name ?? defaultRunName(run.doc, number),
    doc: run.doc,
    history: run.history,
    lossKind: run.lossKind,
    end: run.end,
    now: Date.now(),
    previous,
  });
  if (record) {
    if (!previous) lastNumber = number;
    runs.keep(record, persist);
  }
  return record;
}

/** While a run trains, it is written this often (the tab may close without warning). */
export const LIVE_SAVE_MS = 10_000;

/**
 * Reads the stored runs, and keeps the run that trains: every LIVE_SAVE_MS as it grows, and when
 * the tab is hidden. (A write begun while the page unloads is not sure to land, so the periodic one
 * is what a reload or a closed tab can count on; it loses at most the last few seconds.)
 */
export function startRuns(currentRun: () => RunAtEnd | null, onHistoryGrowth: (listener: () => void) => void): void {
  void runs.load();
  let saved = Date.now();
  onHistoryGrowth(() => {
    if (Date.now() - saved < LIVE_SAVE_MS) return;
    const run = currentRun();
    if (run?.end !== 'training') return;
    saved = Date.now();
    keepRun(run);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden') return;
    const run = currentRun();
    if (run) keepRun(run);
  });
}
