/**
 * The trainer: shuffled mini-batches over the training split, one optimizer step at a time, and
 * evaluation in eval mode (dropout off, batch norm on running statistics). The worker drives it
 * step by step; the command line drives it epoch by epoch. Both use exactly this code.
 */
import { Rng } from '../core/rng';
import type { Plan } from '../compiler/plan';
import type { SplitDataset } from '../data/types';
import { createOptimizer, type Optimizer } from '../optim';
import { MetricSums, type Metrics } from './metrics';
import { optimizerConfig, type TrainingSettings } from './settings';

/** Where a non-finite number first showed up. */
export interface Divergence {
  step: number;
  /** What went non-finite: the loss, an edge's activation or gradient, or a node's weights. */
  where: { kind: 'loss' } | { kind: 'edge'; id: string; what: 'activation' | 'gradient' } | { kind: 'node'; id: string; what: 'weights' };
  message: string;
}

export interface StepResult {
  loss: number;
  /** Set when this step produced a non-finite loss or gradient; the weights were left as they were. */
  divergence?: Divergence;
}

export class Trainer {
  private opt: Optimizer;
  /** Optimizer steps taken. */
  step = 0;
  epoch = 0;
  samplesSeen = 0;
  private settings: TrainingSettings;
  private rng: Rng;
  private order: Int32Array;
  private position = 0;
  private readonly xInner: number;
  private readonly yInner: number;
  /** Running loss and metric over the training batches of the current epoch (as Keras reports them). */
  private readonly running: MetricSums;
  private lastEpochMetrics: Metrics | undefined;

  constructor(readonly plan: Plan, readonly data: SplitDataset, settings: TrainingSettings) {
    this.settings = { ...settings };
    this.opt = createOptimizer(plan.params, optimizerConfig(settings));
    this.rng = new Rng(settings.seed ^ 0x5eed);
    this.order = new Int32Array(data.train.count);
    this.xInner = plan.input.innerSize;
    this.yInner = plan.target.innerSize;
    this.running = new MetricSums(plan);
    this.startEpoch();
  }

  /**
   * Training loss and metric averaged over the batches of the epoch in progress (or, right at an
   * epoch's start, of the one before), as Keras reports them: free, since the forward passes
   * happened anyway, though measured with dropout on and weights moving.
   */
  get trainMetrics(): Metrics | undefined {
    return this.running.samples > 0 ? this.running.result() : this.lastEpochMetrics;
  }

  get batchSize(): number {
    return Math.min(this.settings.batchSize, this.plan.tape.maxBatch);
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.data.train.count / this.batchSize);
  }

  get optimizer(): Optimizer {
    return this.opt;
  }

  /** The settings in force. */
  get currentSettings(): Readonly<TrainingSettings> {
    return this.settings;
  }

  setLearningRate(lr: number): void {
    this.settings.learningRate = lr;
    this.opt.learningRate = lr;
  }

  /**
   * Applies new settings from the next step on. The learning rate changes in place (as TF
   * Playground's slider does); a new optimizer, l2, clipping, momentum or ρ starts a fresh optimizer
   * on the current weights; a batch size up to the plan's largest takes effect at once (a larger
   * one needs a new plan, which the session builds).
   */
  updateSettings(next: Partial<TrainingSettings>): void {
    const before = this.settings;
    this.settings = { ...before, ...next };
    const s = this.settings;
    if (s.optimizer !== before.optimizer || s.l2 !== before.l2 || s.clipNorm !== before.clipNorm || s.momentum !== before.momentum || s.rho !== before.rho) {
      this.opt = createOptimizer(this.plan.params, optimizerConfig(s));
    } else if (s.learningRate !== before.learningRate) {
      this.opt.learningRate = s.learningRate;
    }
  }

  private startEpoch(): void {
    if (this.running.samples > 0) this.lastEpochMetrics = this.running.result();
    this.running.reset();
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    this.rng.shuffle(this.order);
    this.position = 0;
  }

  /** One optimizer step on the next mini-batch (the last batch of an epoch may be smaller). */
  trainStep(): StepResult {
    const { plan } = this;
    const tape = plan.tape;
    if (this.position >= this.order.length) {
      this.epoch++;
      this.startEpoch();
    }
    const batch = Math.min(this.batchSize, this.order.length - this.position);
    tape.setBatch(batch);
    tape.training = true;
    this.loadRows(this.data.train.x, this.data.train.y, this.order, this.position, batch);
    this.position += batch;
    tape.forward();
    this.running.add();
    tape.backward(plan.loss);
    this.opt.step();
    this.step++;
    this.samplesSeen += batch;
    const loss = plan.loss.value[0]!;
    if (!Number.isFinite(loss) || !Number.isFinite(this.opt.lastGradNorm)) {
      return { loss, divergence: this.locateDivergence(loss) };
    }
    return { loss };
  }

  /** Whether the current epoch's batches are all used (the next step starts a new epoch). */
  get epochDone(): boolean {
    return this.position >= this.order.length;
  }

  /**
   * Loss and metric over a split in eval mode. Overwrites the tape's activations, so read
   * per-edge statistics before evaluating.
   */
  evaluate(which: 'train' | 'test', maxSamples = Infinity): Metrics {
    const count = Math.min(this.data[which].count, maxSamples);
    const tape = this.plan.tape;
    const sums = new MetricSums(this.plan);
    for (let start = 0; start < count; start += tape.maxBatch) this.evaluateBatch(which, start, Math.min(tape.maxBatch, count - start), sums);
    return sums.result();
  }

  /**
   * One batch of an evaluation: rows start … start + batch − 1 of a split, forward in eval mode,
   * added to `sums`. The tape's prediction and target then hold that batch (for a confusion
   * matrix). Callers that evaluate in pieces (the worker, which yields between them) use this.
   */
  evaluateBatch(which: 'train' | 'test', start: number, batch: number, sums: MetricSums): void {
    const part = this.data[which];
    const tape = this.plan.tape;
    tape.training = false;
    tape.setBatch(batch);
    this.loadRows(part.x, part.y, null, start, batch);
    tape.forward();
    sums.add();
    tape.training = true;
  }

  /** Re-initializes weights and optimizer state, and replays the same shuffles: a rerun is bit-identical. */
  reset(): void {
    this.plan.reset(this.settings.seed);
    this.opt.reset();
    this.rng = new Rng(this.settings.seed ^ 0x5eed);
    this.step = 0;
    this.epoch = 0;
    this.samplesSeen = 0;
    this.running.reset();
    this.lastEpochMetrics = undefined;
    this.startEpoch();
  }

  /** Copies rows (by `order`, or in sequence) into the tape's input and target. */
  private loadRows(x: Float32Array, y: Float32Array, order: Int32Array | null, start: number, batch: number): void {
    const xi = this.xInner;
    const yi = this.yInner;
    const xv = this.plan.input.value;
    const yv = this.plan.target.value;
    for (let b = 0; b < batch; b++) {
      const row = order ? order[start + b]! : start + b;
      const xs = row * xi;
      const xd = b * xi;
      for (let k = 0; k < xi; k++) xv[xd + k] = x[xs + k]!;
      const ys = row * yi;
      const yd = b * yi;
      for (let k = 0; k < yi; k++) yv[yd + k] = y[ys + k]!;
    }
  }

  /** Finds where a non-finite number first appears: activations in forward order, then gradients from the loss back. */
  private locateDivergence(loss: number): Divergence {
    const { plan } = this;
    const step = this.step;
    const hint = 'Lower the learning rate (try 10× smaller) or set a clip norm, then press Train to start over.';
    const bad = (a: Float32Array, n: number): boolean => {
      for (let i = 0; i < n; i++) if (!Number.isFinite(a[i]!)) return true;
      return false;
    };
    for (const node of plan.nodes) {
      for (const p of node.params) {
        if (bad(p.value, p.value.length)) return { step, where: { kind: 'node', id: node.id, what: 'weights' }, message: `Training diverged at step ${step}: the weights of ${node.name} are not finite. ${hint}` };
      }
    }
    // Edges in forward order (by where their source sits in the plan's topological node order).
    const rank = new Map(plan.nodes.map((n, i) => [n.id, i]));
    const edges = [...plan.edges].sort((a, b) => rank.get(a.source)! - rank.get(b.source)!);
    for (const e of edges) {
      if (e.tensor && bad(e.tensor.value, e.tensor.size)) {
        return { step, where: { kind: 'edge', id: e.id, what: 'activation' }, message: `Training diverged at step ${step}: values flowing from ${nodeName(plan, e.source)} to ${nodeName(plan, e.target)} overflowed. ${hint}` };
      }
    }
    if (!Number.isFinite(loss)) return { step, where: { kind: 'loss' }, message: `Training diverged at step ${step}: the loss is ${loss}. ${hint}` };
    for (let i = edges.length - 1; i >= 0; i--) {
      const e = edges[i]!;
      if (e.tensor && e.tensor.grad.length && bad(e.tensor.grad, e.tensor.size)) {
        return { step, where: { kind: 'edge', id: e.id, what: 'gradient' }, message: `Training diverged at step ${step}: the gradient from ${nodeName(plan, e.target)} back to ${nodeName(plan, e.source)} is not finite. ${hint}` };
      }
    }
    return { step, where: { kind: 'loss' }, message: `Training diverged at step ${step}: a gradient is not finite. ${hint}` };
  }
}

function nodeName(plan: Plan, id: string): string {
  return plan.nodes.find((n) => n.id === id)?.name ?? id;
}
