/**
 * The app's one training controller (controller.ts), bound to the graph store, the uploaded CSV
 * and a real Web Worker. Components read slices through selectors — an edge subscribes to its own
 * numbers, so a snapshot re-renders edges, not nodes.
 */
import { useStore } from 'zustand';
import { csvForLoad, useCsvUpload } from '../state/csv';
import { graphStore } from '../state/graph';
import { workerName } from '../../worker/threads';
import { keepRun } from '../runs/runs';
import { createTrainingController, type TrainingState } from './controller';

export { edgeStat, nodeStat, structureKey, type TrainingState, type TrainingStatus } from './controller';

const controller = createTrainingController({
  graph: graphStore,
  csv: { forLoad: csvForLoad, subscribe: (listener) => useCsvUpload.subscribe(listener) },
  // The name carries `?threads=N` from the address into the worker (worker/threads.ts).
  onRunEnded: (run) => void keepRun(run),
  createWorker: () => new Worker(new URL('../../worker/training.worker.ts', import.meta.url), { type: 'module', name: workerName(window.location.search) }),
});

const { store } = controller;

/** The training state through a selector (a React hook), with the store's own getState/subscribe. */
export const useTraining = Object.assign(<T>(selector: (s: TrainingState) => T): T => useStore(store, selector), {
  getState: store.getState,
  setState: store.setState,
  subscribe: store.subscribe,
});

/** The commands of the one controller. */
export const training = controller;

/** Keeps the worker in step with edits (see TrainingController.connect). Returns the unsubscribe. */
export const connectTrainingToGraph = (): (() => void) => controller.connect();
