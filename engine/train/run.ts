/**
 * One training run from a model file: the dataset loaded and split, the plan built, the trainer
 * ready. The worker and the command line both start here, so they train exactly alike.
 */
import { buildPlan, createPlan, type Plan } from '../compiler/plan';
import { loadBuiltinDataset, splitDataset, type ReadDatasetFile } from '../data';
import type { Dataset, SplitDataset } from '../data/types';
import type { ModelDefinition } from '../model';
import { Trainer } from './trainer';

export interface TrainingRun {
  dataset: Dataset;
  split: SplitDataset;
  plan: Plan;
  trainer: Trainer;
}

/** What a run is doing while it is created, for a progress line (each may take a while on large data). */
export type RunPhase = 'dataset' | 'model';

/**
 * Loads the model's dataset (a built-in one, or `dataset` when the caller already has it, such as a
 * user's CSV) and builds the plan. `phase` is awaited before each part, so a caller can report
 * progress and yield to its event loop in between.
 */
export async function createTrainingRun(model: ModelDefinition, readFile: ReadDatasetFile, dataset?: Dataset, phase?: (p: RunPhase) => Promise<void>): Promise<TrainingRun> {
  const { training } = model;
  await phase?.('dataset');
  const data = dataset ?? (await loadBuiltinDataset(training.dataset, { ...training.datasetOptions, seed: training.seed }, readFile));
  await phase?.('model');
  const split = splitDataset(data, { testFraction: training.testFraction, seed: training.seed });
  const plan = buildPlan(model, split.info, { maxBatch: Math.min(training.batchSize, Math.max(1, split.train.count)), seed: training.seed });
  return { dataset: data, split, plan, trainer: new Trainer(plan, split, training) };
}

/**
 * The same run with buffers for a larger batch: a new plan from the same compiled graph, the
 * weights copied over, a trainer that goes on from the same step, epoch and samples seen.
 */
export function withLargerBatch(old: TrainingRun, batchSize: number, seed: number): TrainingRun {
  const plan = createPlan(old.plan.compiled, old.split.info, { maxBatch: batchSize, seed, kernels: old.plan.tape.arena.path });
  plan.params.forEach((p, i) => p.value.set(old.plan.params[i]!.value));
  const trainer = new Trainer(plan, old.split, { ...old.trainer.currentSettings, batchSize });
  trainer.step = old.trainer.step;
  trainer.epoch = old.trainer.epoch;
  trainer.samplesSeen = old.trainer.samplesSeen;
  return { ...old, plan, trainer };
}
