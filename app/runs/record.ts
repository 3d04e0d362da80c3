/**
 * A finished run, kept to compare with others: its name, the graph and settings it trained (as a
 * model file), and its curves — the train loss, the evaluations, and every edge's gradient RMS over
 * training — thinned so a record stays small (tens of kilobytes) whatever the run's length. Pure,
 * so it is tested under Node; the runs store (store.ts) keeps records in the session and in
 * IndexedDB, and the Runs view (RunsDialog.tsx) draws them.
 */
import { z } from 'zod';
import type { ModelDefinition } from '../../engine/model';
import type { EvaluationPoint, RunHistory } from '../training/history';
import { toModelDefinition, type GraphDocument } from '../graph/document';

export const RECORD_VERSION = 1;
/** Points kept per curve. */
export const KEEP = { loss: 400, evaluations: 200, gradients: 120 } as const;

/** How a run ended: it reached its epochs, it diverged, or it was paused / reset / left for another graph; or it is still training. */
export type RunEnd = 'done' | 'diverged' | 'stopped' | 'training';

export interface RunRecord {
  version: typeof RECORD_VERSION;
  id: string;
  name: string;
  pinned: boolean;
  /** When it was first kept, and last updated (ms since the epoch). */
  createdAt: number;
  updatedAt: number;
  end: RunEnd;
  /** The graph and settings it trained, as a model file (layout included), to open again. */
  model: ModelDefinition;
  dataset: string;
  /** The metric beside the loss: accuracy for classifiers, mean absolute error for regression. */
  metric: 'accuracy' | 'mae';
  layers: number;
  steps: number;
  loss: { steps: number[]; values: number[] };
  evaluations: EvaluationPoint[];
  /** Every edge's gradient RMS at `steps`, with its depth (layers from the input to the edge's target). */
  gradients: { steps: number[]; edges: { id: string; depth: number; rms: number[] }[] };
}

/** Evenly spaced indices into a series of n points, at most `keep` of them, always with the first and the last. */
export function thinIndices(n: number, keep: number): number[] {
  if (n <= keep) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < keep; k++) out.push(Math.round((k * (n - 1)) / (keep - 1)));
  return out;
}

const pick = <T>(a: readonly T[], at: readonly number[]): T[] => at.map((i) => a[i]!);

/**
 * Each node's depth: the longest path, in edges, from a node with no inputs. An edge's depth is its
 * target's — 1 for the edges out of the Input. Nodes on a cycle (not trainable anyway) get none.
 */
export function edgeDepths(doc: Pick<GraphDocument, 'nodes' | 'edges'>): Map<string, number> {
  const incoming = new Map<string, number>(doc.nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of doc.edges) {
    incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  }
  const depth = new Map<string, number>();
  const ready = [...incoming].filter(([, k]) => k === 0).map(([id]) => id);
  for (const id of ready) depth.set(id, 0);
  while (ready.length > 0) {
    const id = ready.pop()!;
    for (const next of out.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next) ?? 0, depth.get(id)! + 1));
      const left = incoming.get(next)! - 1;
      incoming.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const edges = new Map<string, number>();
  for (const e of doc.edges) {
    const d = incoming.get(e.target) === 0 ? depth.get(e.target) : undefined;
    if (d !== undefined) edges.set(e.id, d);
  }
  return edges;
}

export interface RecordInput {
  id: string;
  name: string;
  /** The graph as it was trained (its live settings as they were at the end). */
  doc: GraphDocument;
  history: RunHistory;
  lossKind: string;
  end: RunEnd;
  now: number;
  /** The record this run already has (kept when it paused before): its name, pin and birth stay. */
  previous?: RunRecord;
}

/** A record of a run from its history, thinned; null for a run with no step yet. */
export function recordRun({ id, name, doc, history, lossKind, end, now, previous }: RecordInput): RunRecord | null {
  const steps = Math.max(history.lossSteps.at(-1) ?? 0, history.steps.at(-1) ?? 0);
  if (steps === 0) return null;
  const lossAt = thinIndices(history.lossSteps.length, KEEP.loss);
  const evalAt = thinIndices(history.evaluations.length, KEEP.evaluations);
  const gradAt = thinIndices(history.steps.length, KEEP.gradients);
  const depths = edgeDepths(doc);
  const model = toModelDefinition(doc);
  return {
    version: RECORD_VERSION,
    id,
    name: previous?.name ?? name,
    pinned: previous?.pinned ?? false,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    // Reset after it finished or diverged, with no step since: it still ended that way.
    end: previous && previous.steps === steps && (previous.end === 'done' || previous.end === 'diverged') ? previous.end : end,
    model,
    dataset: doc.training.dataset,
    metric: lossKind === 'mse' ? 'mae' : 'accuracy',
    layers: doc.nodes.length,
    steps,
    loss: { steps: pick(history.lossSteps, lossAt), values: pick(history.trainLoss, lossAt) },
    evaluations: pick(history.evaluations, evalAt),
    gradients: {
      steps: pick(history.steps, gradAt),
      edges: [...history.edgeRms]
        .filter(([edgeId]) => depths.has(edgeId))
        .map(([edgeId, rms]) => ({ id: edgeId, depth: depths.get(edgeId)!, rms: pick(rms, gradAt.filter((i) => i < rms.length)) })),
    },
  };
}

/** The evaluations' last point, if any. */
export function lastEvaluation(r: RunRecord): EvaluationPoint | undefined {
  return r.evaluations.at(-1);
}

/** A run's latest train loss (the last finite one), or null. */
export function finalLoss(r: RunRecord): number | null {
  for (let i = r.loss.values.length - 1; i >= 0; i--) if (Number.isFinite(r.loss.values[i])) return r.loss.values[i]!;
  return null;
}

/** How many of an edge series' last points a depth profile averages (steps are noisy). */
const PROFILE_TAIL = 5;

/**
 * The gradient RMS by depth at a moment of the run — `at` is the share of its recorded steps, 1 for
 * the end: per depth, the mean over its edges of each edge's mean over the few recorded points up
 * to that moment. Depths with no finite, positive value are left out.
 */
export function depthProfile(r: RunRecord, at = 1): { depth: number; rms: number }[] {
  const byDepth = new Map<number, number[]>();
  for (const e of r.gradients.edges) {
    const end = Math.round(Math.min(1, Math.max(0, at)) * (e.rms.length - 1)) + 1;
    const tail = e.rms.slice(Math.max(0, end - PROFILE_TAIL), end).filter((v) => Number.isFinite(v) && v > 0);
    if (tail.length === 0) continue;
    byDepth.set(e.depth, [...(byDepth.get(e.depth) ?? []), tail.reduce((a, b) => a + b, 0) / tail.length]);
  }
  return [...byDepth]
    .sort(([a], [b]) => a - b)
    .map(([depth, values]) => ({ depth, rms: values.reduce((a, b) => a + b, 0) / values.length }));
}

/** The step a moment of the run (a share of its recorded steps, as depthProfile takes it) falls on. */
export function stepAt(r: RunRecord, at: number): number {
  const steps = r.gradients.steps;
  return steps.length === 0 ? 0 : steps[Math.round(Math.min(1, Math.max(0, at)) * (steps.length - 1))]!;
}

/**
 * The first layers' gradient as a fraction of the last layers': the profile's first depth over its
 * last. A deep sigmoid stack starves its first layers (a tiny ratio); ReLU with He init keeps it near 1.
 */
export function firstToLastRatio(profile: readonly { rms: number }[]): number | null {
  if (profile.length < 2) return null;
  return profile[0]!.rms / profile.at(-1)!.rms;
}

/** Any number, NaN and ±Infinity included (a diverged run has them; IndexedDB keeps them). */
const num = z.custom<number>((v) => typeof v === 'number');
const metricsSchema = z.object({ loss: num, accuracy: num.optional(), mae: num.optional() });

/** What a stored record must look like to be shown (older or damaged entries are skipped). */
export const runRecordSchema = z.object({
  version: z.literal(RECORD_VERSION),
  id: z.string(),
  name: z.string(),
  pinned: z.boolean(),
  createdAt: num,
  updatedAt: num,
  end: z.enum(['done', 'diverged', 'stopped', 'training']),
  model: z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }).passthrough(),
  dataset: z.string(),
  metric: z.enum(['accuracy', 'mae']),
  layers: num,
  steps: num,
  loss: z.object({ steps: z.array(num), values: z.array(num) }),
  evaluations: z.array(z.object({ step: num, epoch: num, train: metricsSchema, test: metricsSchema })),
  gradients: z.object({ steps: z.array(num), edges: z.array(z.object({ id: z.string(), depth: num, rms: z.array(num) })) }),
});

/** A stored value as a record, or null when it is not one this version can show. */
export function readRecord(value: unknown): RunRecord | null {
  const parsed = runRecordSchema.safeParse(value);
  return parsed.success ? (parsed.data as unknown as RunRecord) : null;
}
