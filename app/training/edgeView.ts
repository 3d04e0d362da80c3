/**
 * How the canvas colors edges right now: which statistic, over which range (adapting to each
 * snapshot unless frozen), and the loss-side gradient the health flags compare against.
 */
import { create } from 'zustand';
import { EDGE_STAT, EDGE_STATS } from '../../engine/compiler/plan';
import { compiledOf } from '../state/compiled';
import { graphStore } from '../state/graph';
import { easeRange, EDGE_METRICS, robustRange, type ColorRange, type EdgeMetric } from './edgeColors';
import { useTraining } from './store';

export interface EdgeViewState {
  metric: EdgeMetric;
  frozen: boolean;
  range: ColorRange | null;
  /** Gradient RMS on the loss side: the largest over the edges into the output node. */
  reference: number | undefined;
  setMetric(metric: EdgeMetric): void;
  setFrozen(frozen: boolean): void;
}

export const useEdgeView = create<EdgeViewState>()((set) => ({
  metric: 'gradRms',
  frozen: false,
  range: null,
  reference: undefined,
  setMetric: (metric) => set({ metric, range: null, frozen: false }),
  setFrozen: (frozen) => set({ frozen }),
}));

/** Updates the range and the reference from every new snapshot. Returns the unsubscribe. */
export function connectEdgeView(): () => void {
  return useTraining.subscribe((state, previous) => {
    const snapshot = state.snapshot;
    if (snapshot === previous.snapshot) return;
    const view = useEdgeView.getState();
    if (!snapshot || snapshot.step === 0) {
      if (snapshot?.step === 0 || !snapshot) useEdgeView.setState({ range: view.frozen ? view.range : null, reference: undefined });
      return;
    }
    const k = EDGE_STAT[EDGE_METRICS[view.metric].stat];
    const values: number[] = [];
    for (let i = 0; i * EDGE_STATS < snapshot.edgeStats.length; i++) values.push(snapshot.edgeStats[i * EDGE_STATS + k]!);
    const target = robustRange(values, view.metric);
    const range = view.frozen || !target ? view.range : easeRange(view.range, target);

    const { graph } = compiledOf(graphStore.getState().doc);
    const output = graph.outputId === undefined ? undefined : graph.nodes.get(graph.outputId);
    let reference: number | undefined;
    for (const id of output?.inputs ?? []) {
      const i = state.edgeIndex.get(id);
      const rms = i === undefined ? NaN : snapshot.edgeStats[i * EDGE_STATS + EDGE_STAT.gradRms]!;
      // Only a finite gradient above 0 is a reference a ratio can be taken against.
      if (rms > 0 && rms < Infinity && (reference === undefined || rms > reference)) reference = rms;
    }
    useEdgeView.setState({ range, reference });
  });
}
