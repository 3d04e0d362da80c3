/**
 * "Step slowly": one training step, then its backward pass played on the canvas. Backpropagation
 * is the chain rule applied back to front: an edge's gradient is complete once every layer after
 * it has passed its share back. So edges light up by their rank — the longest path, in layers,
 * from the edge's target to the Output (the edge into the Output first, the edges out of the
 * Input last) — one rank at a time, about WAVE_MS in all. Skippable; with reduced motion, shown
 * whole at once. The lit graph stays, to be read, until it is closed or the run moves on. The edges
 * read their state here (GradientEdge: data-wave).
 */
import { create } from 'zustand';
import type { CompiledGraph } from '../../engine/compiler/types';
import { compiledOf } from '../state/compiled';
import { graphStore } from '../state/graph';
import { training, useTraining } from './store';

/** The whole wave, about. */
export const WAVE_MS = 2000;
/** A rank's time, at least and at most (a short graph plays slower than WAVE_MS, a long one faster). */
const RANK_MS = { min: 150, max: 600 };

export interface Wave {
  /** The step whose backward pass plays. */
  step: number;
  /** Rank per edge (edges that do not lead to the Output have none, and stay dark). */
  ranks: ReadonlyMap<string, number>;
  /** Ranks in all (the largest rank + 1). */
  count: number;
  /** Ranks the gradient has reached so far (count when it has reached them all). */
  reached: number;
  /** Played whole at once, for reduced motion. */
  still: boolean;
}

export const useBackpropWave = create<{ wave: Wave | null }>()(() => ({ wave: null }));

/** Each edge's rank in the backward pass: the longest path, in layers, from its target to the Output. */
export function backwardRanks(graph: CompiledGraph): Map<string, number> {
  const ranks = new Map<string, number>();
  const output = graph.outputId;
  if (!output) return ranks;
  // Distance of each node from the Output, over the reverse topological order (every consumer first).
  const distance = new Map<string, number>([[output, 0]]);
  for (const id of [...graph.order].reverse()) {
    if (id === output) continue;
    let best = -1;
    for (const e of graph.nodes.get(id)?.outputs ?? []) {
      const d = distance.get(graph.edges.get(e)?.target ?? '');
      if (d !== undefined) best = Math.max(best, d + 1);
    }
    if (best >= 0) distance.set(id, best);
  }
  for (const edge of graph.edges.values()) {
    const d = distance.get(edge.target);
    if (d !== undefined && distance.has(edge.source)) ranks.set(edge.id, d);
  }
  return ranks;
}

/** An edge's part in the wave now: not yet reached, reached by the latest rank, or reached before it; null without a wave. */
export function waveState(wave: Wave | null, edgeId: string): 'waiting' | 'arriving' | 'arrived' | 'outside' | null {
  if (!wave) return null;
  const rank = wave.ranks.get(edgeId);
  if (rank === undefined) return 'outside';
  if (rank >= wave.reached) return 'waiting';
  return rank === wave.reached - 1 && !wave.still && wave.reached < wave.count ? 'arriving' : 'arrived';
}

let timer: ReturnType<typeof setTimeout> | undefined;

function clearTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Ends the wave at once: every edge reached (the lit graph stays until closed). */
export function skipWave(): void {
  const wave = useBackpropWave.getState().wave;
  if (!wave || wave.reached >= wave.count) return;
  clearTimer();
  useBackpropWave.setState({ wave: { ...wave, reached: wave.count } });
}

export function endWave(): void {
  clearTimer();
  useBackpropWave.setState({ wave: null });
}

/** Runs one step, then plays its backward pass. Resolves when the step is done (the wave plays on). */
export async function stepSlowly(): Promise<void> {
  endWave();
  await training.step(1);
  const snapshot = useTraining.getState().snapshot;
  if (!snapshot || snapshot.step === 0 || snapshot.divergence) return;
  const ranks = backwardRanks(compiledOf(graphStore.getState().doc).graph);
  const count = ranks.size === 0 ? 0 : Math.max(...ranks.values()) + 1;
  if (count === 0) return;
  const still = reducedMotion();
  useBackpropWave.setState({ wave: { step: snapshot.step, ranks, count, reached: still ? count : 0, still } });
  if (still) return;
  const rankMs = Math.min(RANK_MS.max, Math.max(RANK_MS.min, WAVE_MS / count));
  const advance = () => {
    const wave = useBackpropWave.getState().wave;
    if (!wave) return;
    const reached = wave.reached + 1;
    useBackpropWave.setState({ wave: { ...wave, reached } });
    timer = reached < wave.count ? setTimeout(advance, rankMs) : undefined;
  };
  timer = setTimeout(advance, rankMs / 2);
}

// Anything that changes the run (another step, training, an edit that forgets it) ends the wave.
useTraining.subscribe((state, previous) => {
  const wave = useBackpropWave.getState().wave;
  if (wave && state.snapshot !== previous.snapshot && state.snapshot?.step !== wave.step) endWave();
});
