/**
 * Evaluation in pieces, and when to evaluate.
 *
 * An evaluation runs the model over the test split (and a sample of the training split) in eval
 * mode. On a large split it takes seconds, and a worker busy that long stops answering the page's
 * heartbeat, so the job works batch by batch and the session yields between pieces. The test
 * split's confusion matrix (image classification) is counted from the same forward passes.
 *
 * The schedule spends at most EVAL_BUDGET of the training time on evaluations, so a test curve
 * gets as many points as that buys (at least one per epoch) without slowing training by more.
 */
import type { Plan } from '../engine/compiler/plan';
import type { SplitDataset } from '../engine/data/types';
import { MetricSums, type Metrics } from '../engine/train/metrics';
import type { Trainer } from '../engine/train/trainer';

/** At most this share of the time spent training goes to evaluations. */
export const EVAL_BUDGET = 0.04;
/** Training-set metrics are estimated on at most this many samples (the test set is evaluated whole). */
export const TRAIN_EVAL_SAMPLES = 2000;
/** A run with an epoch target gets at least about this many evaluations when the budget allows. */
export const EVAL_POINTS_PER_RUN = 40;
/** While training, evaluations are at least this far apart in training time (ms), unless due by steps. */
export const EVAL_MIN_INTERVAL_MS = 100;
/**
 * An epoch's end is evaluated over the budget once this much training time (ms) passed without one:
 * long epochs always get their point. Shorter ones get points as the budget allows (every ~2 s of
 * training when the test set is a quarter of the training set), which a 1 s threshold turned into
 * every epoch at twice the budget.
 */
export const EPOCH_EVAL_AFTER_MS = 2000;

export interface EvaluationResult {
  train: Metrics;
  test: Metrics;
  /** counts[true × classes + predicted] over the test split, when asked for. */
  confusion?: { classes: number; counts: Int32Array };
}

/** One evaluation of the current weights, advanced a piece at a time. */
export class EvaluationJob {
  private readonly parts: { which: 'train' | 'test'; count: number; sums: MetricSums }[];
  private part = 0;
  private position = 0;
  private readonly counts: Int32Array | null;
  private readonly classes: number;
  done = false;

  constructor(
    private readonly trainer: Trainer,
    split: SplitDataset,
    options: { confusion: boolean; trainSamples?: number },
  ) {
    const plan = trainer.plan;
    this.parts = [
      { which: 'train', count: Math.min(split.train.count, options.trainSamples ?? TRAIN_EVAL_SAMPLES), sums: new MetricSums(plan) },
      { which: 'test', count: split.test.count, sums: new MetricSums(plan) },
    ];
    this.classes = split.info.numClasses ?? 2;
    this.counts = options.confusion ? new Int32Array(this.classes * this.classes) : null;
  }

  /** Evaluates batches until `until()` says stop or the job is done; returns whether it is done. */
  advance(until: () => boolean): boolean {
    const maxBatch = this.trainer.plan.tape.maxBatch;
    while (!this.done) {
      const part = this.parts[this.part]!;
      if (this.position >= part.count) {
        this.part++;
        this.position = 0;
        if (this.part === this.parts.length) this.done = true;
        continue;
      }
      const batch = Math.min(maxBatch, part.count - this.position);
      this.trainer.evaluateBatch(part.which, this.position, batch, part.sums);
      if (part.which === 'test' && this.counts) countConfusion(this.trainer.plan, this.classes, this.counts);
      this.position += batch;
      if (until()) break;
    }
    return this.done;
  }

  /** The test split's share of the job's samples (the part every later evaluation repeats). */
  get testShare(): number {
    const total = this.parts.reduce((n, p) => n + p.count, 0);
    return total > 0 ? this.parts[1]!.count / total : 1;
  }

  /** How much of the job is done, 0..1. */
  get fraction(): number {
    const total = this.parts.reduce((n, p) => n + p.count, 0);
    const done = this.parts.slice(0, this.part).reduce((n, p) => n + p.count, 0) + this.position;
    return total > 0 ? Math.min(1, done / total) : 1;
  }

  result(): EvaluationResult {
    const [train, test] = this.parts;
    return {
      train: train!.sums.result(),
      test: test!.sums.result(),
      ...(this.counts ? { confusion: { classes: this.classes, counts: this.counts } } : {}),
    };
  }
}

/** Adds the live batch's predicted-vs-true counts (the tape holds the batch just evaluated). */
function countConfusion(plan: Plan, classes: number, counts: Int32Array): void {
  const pred = plan.prediction.value;
  const target = plan.target.value;
  const channels = plan.prediction.innerSize;
  const batch = plan.tape.batch;
  for (let r = 0; r < batch; r++) {
    const o = r * channels;
    let best = 0;
    if (channels === 1) best = pred[o]! > (plan.predictionKind === 'logits' ? 0 : 0.5) ? 1 : 0;
    else for (let c = 1; c < channels; c++) if (pred[o + c]! > pred[o + best]!) best = c;
    const truth = target[r]!;
    if (truth >= 0 && truth < classes) counts[truth * classes + best]!++;
  }
}

/**
 * When the next evaluation is due, from what training and evaluating have cost so far. Pure
 * bookkeeping (times come from the session's clock), so tests drive it with made-up numbers.
 */
export class EvaluationSchedule {
  private trainMs = 0;
  private evalMs = 0;
  /** What the last evaluation took: the estimate of the next one's cost. */
  private lastMs = 0;
  private lastStep = -1;
  private lastEpoch = -1;
  private trainMsAtLast = 0;

  /** Starts over (a new load or a reset). */
  reset(): void {
    this.trainMs = 0;
    this.evalMs = 0;
    this.lastMs = 0;
    this.lastStep = -1;
    this.lastEpoch = -1;
    this.trainMsAtLast = 0;
  }

  addTraining(ms: number): void {
    this.trainMs += ms;
  }

  /**
   * Records an evaluation at `step` (epochs completed then: `epoch`) that took `ms`; the next one is
   * expected to take `nextMs` (less when this one also evaluated the training set, as the first does).
   * The untrained model's (at load) slows no training and is not charged.
   */
  evaluated(step: number, epoch: number, ms: number, nextMs = ms): void {
    if (step > 0) this.evalMs += ms;
    this.lastMs = nextMs;
    this.lastStep = step;
    this.lastEpoch = epoch;
    this.trainMsAtLast = this.trainMs;
  }

  get evaluatedStep(): number {
    return this.lastStep;
  }

  /** The share of training time spent evaluating so far. */
  get cost(): number {
    return this.trainMs > 0 ? this.evalMs / this.trainMs : 0;
  }

  /**
   * Whether to evaluate now, at `step` with `epochsCompleted` epochs done. Within the budget (counting
   * the next evaluation, estimated by the last): at an
   * epoch's end, or when enough steps passed for the run's share of points (`runSteps`, its planned
   * length, when it has one), or enough training time. Over the budget, an epoch's end still is, once
   * EPOCH_EVAL_AFTER_MS of training passed (so long epochs are always evaluated; short ones as the budget allows).
   */
  due(step: number, epochsCompleted: number, runSteps: number | null): boolean {
    if (step === this.lastStep) return false;
    if (this.lastStep < 0) return true;
    const sinceMs = this.trainMs - this.trainMsAtLast;
    const epochEnded = epochsCompleted > this.lastEpoch;
    // Over the budget when the next evaluation (estimated by the last one) would take it there.
    if (this.evalMs + this.lastMs > EVAL_BUDGET * this.trainMs) return epochEnded && sinceMs >= EPOCH_EVAL_AFTER_MS;
    const bySteps = runSteps !== null && step - this.lastStep >= Math.max(1, Math.floor(runSteps / EVAL_POINTS_PER_RUN));
    return epochEnded || bySteps || sinceMs >= EVAL_MIN_INTERVAL_MS;
  }
}
