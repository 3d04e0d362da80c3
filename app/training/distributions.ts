/**
 * The inspected edge's and node's distributions over time (Snapshot.distributions), kept between
 * the snapshots that bring them: the worker sends them only when a capture or the watch changed
 * them. Forgotten with the run.
 */
import { create } from 'zustand';
import type { Snapshot } from '../../worker/protocol';
import { useTraining, type TrainingState } from './store';

type Distributions = NonNullable<Snapshot['distributions']>;

export const useDistributions = create<{ latest: Distributions | null }>()(() => ({ latest: null }));

function follow(state: TrainingState, previous: TrainingState | null): void {
  if (!state.snapshot && previous?.snapshot) useDistributions.setState({ latest: null });
  const d = state.snapshot?.distributions;
  if (d && d !== previous?.snapshot?.distributions) useDistributions.setState({ latest: d });
}

// Follows the training store from the start, so a series that arrived while no inspector showed it is there when one opens.
follow(useTraining.getState(), null);
useTraining.subscribe((state, previous) => follow(state, previous));
