/**
 * What the data views need of the current run that the training store does not keep: the latest
 * prediction grid (the worker sends one with every few snapshots, and a snapshot without one
 * replaces the last) and the dataset settings the run was loaded with (the document may change
 * after the load; the points must stay those the model trains on).
 */
import { create } from 'zustand';
import type { PredictionGrid, Snapshot } from '../../worker/protocol';
import { graphStore } from '../state/graph';
import { useTraining, type TrainingState } from '../training/store';
import type { SplitKey } from './points';

export interface MonitorRun {
  grid: PredictionGrid | null;
  /** Image classification: the latest predictions on the sample images, and the latest confusion matrix. */
  samples: Snapshot['samples'] | null;
  confusion: Snapshot['confusion'] | null;
  /** The dataset settings of the loaded run, or null when none is loaded. */
  splitKey: SplitKey | null;
}

export const useMonitorRun = create<MonitorRun>()(() => ({ grid: null, samples: null, confusion: null, splitKey: null }));

function currentSplitKey(): SplitKey {
  const { dataset, datasetOptions, testFraction, seed } = graphStore.getState().doc.training;
  return { dataset, datasetOptions, testFraction, seed };
}

function follow(state: TrainingState, previous: TrainingState | null): void {
  const patch: Partial<MonitorRun> = {};
  if (state.info !== previous?.info) patch.splitKey = state.info ? currentSplitKey() : null;
  const snapshot = state.snapshot;
  // The run was forgotten (the graph or its data changed, another model was opened): its predictions go with it.
  if (!snapshot && previous?.snapshot) Object.assign(patch, { grid: null, samples: null, confusion: null });
  if (snapshot?.grid && snapshot.grid !== previous?.snapshot?.grid) patch.grid = snapshot.grid;
  if (snapshot?.samples && snapshot.samples !== previous?.snapshot?.samples) patch.samples = snapshot.samples;
  if (snapshot?.confusion && snapshot.confusion !== previous?.snapshot?.confusion) patch.confusion = snapshot.confusion;
  if (Object.keys(patch).length > 0) useMonitorRun.setState(patch);
}

/** Follows the training store (call once the monitor mounts); returns the unsubscribe. */
export function connectMonitorRun(): () => void {
  follow(useTraining.getState(), null);
  return useTraining.subscribe((state, previous) => follow(state, previous));
}
