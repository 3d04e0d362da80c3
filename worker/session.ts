/**
 * TrainingSession: owns one training run (plan, data, optimizer, loop) and streams snapshots.
 * It is plain TypeScript with no Worker API, so tests drive it under Node; the worker entry
 * exposes it with comlink.
 *
 * The loop runs in slices of about SLICE_MS and yields to the event loop between them, so pause,
 * step and new settings take effect within one slice. Per-edge statistics are read right after
 * a training step, before any evaluation or prediction reuses the tape.
 */
import { CompileFailed, EDGE_STATS, NODE_STATS, Plan } from '../engine/compiler/plan';
import { parseCsvDataset, type ReadDatasetFile, type TableTask } from '../engine/data';
import { DatasetError, type Dataset } from '../engine/data/types';
import { parseModelObject, type ModelDefinition } from '../engine/model';
import { createTrainingRun, type TrainingRun } from '../engine/train/run';
import type { TrainingSettings } from '../engine/train/settings';
import { Trainer, type Divergence } from '../engine/train/trainer';
import type { Metrics } from '../engine/train/metrics';
import { histogram } from '../engine/train/histogram';
import { attentionMap, MAX_SAMPLE_LENGTH, sampleText, withEvalPasses, type AttentionMap, type SampleTextOptions } from './sequence';
import { unigramBaseline } from '../engine/data/text';
import { confusionMatrix, gridExtent, isImageClassification, predictClasses, predictGrid, sampleImages } from './predict';
import { GRID_PER_SECOND, GRID_RESOLUTION, MAX_SNAPSHOTS_PER_SECOND, SAMPLE_GRID_SIZE, SLICE_MS, type LoadResult, type PredictionGrid, type SessionState, type Snapshot } from './protocol';

export interface SessionOptions {
  /** Reads a shipped dataset file (the worker fetches /datasets/<name>; tests read the disk). */
  readFile: ReadDatasetFile;
  now?: () => number;
  /** Runs `fn` after yielding to the event loop. */
  yieldToLoop?: (fn: () => void) => void;
}

/** A user's CSV instead of a built-in dataset. */
export interface CsvChoice {
  text: string;
  name?: string;
  labelColumn?: string;
  task?: TableTask;
}

export type SnapshotListener = (snapshot: Snapshot) => void | Promise<void>;

const SNAPSHOT_INTERVAL_MS = 1000 / MAX_SNAPSHOTS_PER_SECOND;
/** Characters generated between two yields to the event loop (see sampleText). */
const SAMPLE_CHUNK = 40;
/** At most this many steps' losses wait for the page (it normally takes a snapshot every 50 ms). */
const MAX_LOSS_TRACE = 4096;
const GRID_INTERVAL_MS = 1000 / GRID_PER_SECOND;
/** Training-set metrics are estimated on at most this many samples (the test set is evaluated whole). */
const TRAIN_EVAL_SAMPLES = 2000;

/**
 * Yields to the event loop. In a browser worker, a message round trip: unlike nested
 * setTimeout(0), it is not clamped to 4 ms, and each message is its own task. Under Node (tests),
 * setImmediate: Node drains a port's messages in one go, which would starve other ports.
 */
function defaultYield(): (fn: () => void) => void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate) return (fn) => void immediate(fn);
  return messageChannelYield();
}

function messageChannelYield(): (fn: () => void) => void {
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

export class TrainingSession {
  private readonly readFile: ReadDatasetFile;
  private readonly now: () => number;
  private readonly yieldToLoop: (fn: () => void) => void;
  private readonly listeners = new Set<SnapshotListener>();
  private run: TrainingRun | null = null;
  private model: ModelDefinition | null = null;
  private state: SessionState = 'empty';
  /** Bumped by load and dispose, so a loop of an older run stops. */
  private generation = 0;
  private loopScheduled = false;
  private stepsRemaining = 0;
  private stepWaiters: (() => void)[] = [];
  private pendingSettings: Partial<TrainingSettings> | null = null;
  private lastLoss = NaN;
  /** The size of the last training batch: the gradients on the tape are over that many samples. */
  private lastTrainBatch = 0;
  /** Batch losses of the steps since the last snapshot (the chart draws every step, not only each snapshot's). */
  private readonly lossTrace = new Float32Array(MAX_LOSS_TRACE);
  private lossTraceCount = 0;
  private lossTraceFirstStep = 1;
  private evaluation: Snapshot['evaluation'];
  private divergence: Divergence | undefined;
  private lastSnapshotAt = -Infinity;
  private lastGridAt = -Infinity;
  private inFlight = 0;
  private rate = { at: 0, samples: 0, value: 0 };
  private extent: PredictionGrid['extent'] | null = null;
  /** The edge and node the page inspects: their value histograms ride along in snapshots. */
  private watched: { edgeId: string | null; nodeId: string | null } = { edgeId: null, nodeId: null };
  /** Training stops (state 'done') when this many epochs are complete; Train after that goes on for `epochs` more. */
  private epochTarget = 0;

  constructor(options: SessionOptions) {
    this.readFile = options.readFile;
    this.now = options.now ?? (() => performance.now());
    this.yieldToLoop = options.yieldToLoop ?? defaultYield();
  }

  /**
   * Loads a model (raw JSON, validated here) and its dataset, stopping any run in progress.
   * Never throws for bad input: problems come back with where they are.
   */
  async load(json: unknown, csv?: CsvChoice): Promise<LoadResult> {
    this.stopRun();
    const generation = this.generation;
    const parsed = parseModelObject(json);
    if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ path: e.path, message: e.message })) };
    const model = parsed.model;
    let run: TrainingRun;
    try {
      const dataset: Dataset | undefined = csv ? parseCsvDataset(csv.text, { id: 'csv', name: csv.name ?? 'Your CSV', ...(csv.labelColumn ? { labelColumn: csv.labelColumn } : {}), ...(csv.task ? { task: csv.task } : {}) }) : undefined;
      run = await createTrainingRun(model, this.readFile, dataset);
    } catch (e) {
      if (e instanceof CompileFailed) {
        return { ok: false, errors: e.issues.filter((i) => i.severity === 'error').map((i) => ({ message: i.fix ? `${i.message} ${i.fix}` : i.message, ...(i.nodeId ? { nodeId: i.nodeId } : {}), ...(i.edgeId ? { edgeId: i.edgeId } : {}) })) };
      }
      if (e instanceof DatasetError) return { ok: false, errors: [{ message: `Dataset: ${e.message}` }] };
      return { ok: false, errors: [{ message: `Could not load the dataset '${model.training.dataset}': ${(e as Error).message}` }] };
    }
    if (generation !== this.generation) return { ok: false, errors: [{ message: 'A newer load replaced this one.' }] };
    this.run = run;
    this.model = model;
    this.state = 'ready';
    this.epochTarget = model.training.epochs;
    this.extent = gridExtent(run.split);
    this.rate = { at: this.now(), samples: 0, value: 0 };
    await this.emit(true);
    const { compiled } = run.plan;
    return {
      ok: true,
      dataset: run.split.info,
      trainCount: run.split.train.count,
      testCount: run.split.test.count,
      edgeIds: run.plan.edges.map((e) => e.id),
      edgeTimeSteps: run.plan.edges.map((e) => e.timeSteps),
      nodeIds: run.plan.nodes.map((n) => n.id),
      lossKind: run.plan.lossKind,
      summary: compiled.summary,
      warnings: compiled.issues.filter((i) => i.severity === 'warning'),
      ...(run.split.info.task === 'sequence' && run.split.info.vocabSize ? { baseline: { loss: unigramBaseline(run.split), label: 'unigram' } } : {}),
      ...(isImageClassification(run.split) ? { samples: sampleImages(run.split, SAMPLE_GRID_SIZE) } : {}),
    };
  }

  /** Trains until paused (or diverged). */
  start(): void {
    if (!this.run || this.state === 'diverged') return;
    this.applyPendingSettings();
    if (this.epochsCompleted() >= this.epochTarget) this.epochTarget = this.epochsCompleted() + this.run.trainer.currentSettings.epochs;
    this.state = 'training';
    this.stepsRemaining = Infinity;
    this.scheduleSlice();
  }

  /** Stops after the current step; settles once the page has the final snapshot. */
  async pause(): Promise<void> {
    if (this.state !== 'training') return;
    this.stepsRemaining = 0;
    await this.finishRun('paused');
  }

  /** Exactly n optimizer steps, then pause; resolves after the final snapshot is sent. */
  step(n: number): Promise<void> {
    if (!this.run || this.state === 'diverged' || !(n >= 1)) return Promise.resolve();
    this.state = 'training';
    this.stepsRemaining = Math.floor(n);
    const done = new Promise<void>((resolve) => this.stepWaiters.push(resolve));
    this.scheduleSlice();
    return done;
  }

  /** The attention weights of Attention node `nodeId` on test sample `sample` (for the attention view). */
  attention(nodeId: string, sample: number): AttentionMap | { error: string } {
    const run = this.run;
    if (!run) return { error: 'Load a model first.' };
    return withEvalPasses(run.plan, () => attentionMap(run.plan, run.split, nodeId, sample));
  }

  /**
   * Text from a character model, generated between training steps (a run in progress goes on).
   * It works in chunks and yields between them, so the worker keeps answering the page's
   * heartbeat however long the text: one long synchronous loop would look like a hung worker.
   */
  async sampleText(options: SampleTextOptions): Promise<{ text: string } | { error: string }> {
    const run = this.run;
    if (!run) return { error: 'Load a model first.' };
    if (!Number.isInteger(options.length) || options.length < 1 || options.length > MAX_SAMPLE_LENGTH) {
      return { error: `Length must be a whole number from 1 to ${MAX_SAMPLE_LENGTH}, got ${options.length}.` };
    }
    let text = '';
    for (let chunk = 0; text.length < options.length; chunk++) {
      if (this.run !== run) return { error: 'The model was reloaded while the text was being generated.' };
      const length = Math.min(SAMPLE_CHUNK, options.length - text.length);
      const seed = (options.seed ?? 1) + chunk;
      const part = withEvalPasses(run.plan, () => sampleText(run.plan, run.split, { ...options, prompt: options.prompt + text, length, seed }));
      if ('error' in part) return part;
      text += part.text;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    return { text };
  }

  /** Re-initializes the weights from the seed and starts the run over (paused); settles once the page has the snapshot. */
  async reset(): Promise<void> {
    if (!this.run) return;
    this.stepsRemaining = 0;
    this.applyPendingSettings();
    this.run.trainer.reset();
    this.epochTarget = this.run.trainer.currentSettings.epochs;
    this.evaluation = undefined;
    this.divergence = undefined;
    this.lastLoss = NaN;
    this.lossTraceCount = 0;
    this.lastGridAt = -Infinity;
    this.rate = { at: this.now(), samples: 0, value: 0 };
    await this.finishRun('ready');
  }

  /** New settings, applied before the next step (learning rate, batch size, optimizer, l2, clipping). */
  setTrainingSettings(patch: Partial<TrainingSettings>): void {
    this.pendingSettings = { ...this.pendingSettings, ...patch };
    if (this.state !== 'training') this.applyPendingSettings();
  }

  /** Loss and metrics on the training and test splits now. */
  evaluate(): { train: Metrics; test: Metrics } | null {
    if (!this.run) return null;
    const { trainer } = this.run;
    return { train: trainer.evaluate('train', TRAIN_EVAL_SAMPLES), test: trainer.evaluate('test') };
  }

  /** The model's predictions over the data's range, for 2D (a grid) and 1D (a curve) inputs. */
  predictGrid(resolution = GRID_RESOLUTION): PredictionGrid | null {
    if (!this.run || !this.extent) return null;
    return predictGrid(this.run.plan, this.extent, resolution);
  }

  /**
   * Chooses the edge and the node whose histograms (the edge's gradient and values, the node's
   * weights) each snapshot carries; null for none. Sends a snapshot with them at once.
   */
  async watch(edgeId: string | null, nodeId: string | null): Promise<void> {
    this.watched = { edgeId, nodeId };
    if (this.run && this.state !== 'training') await this.emit(true);
  }

  /** Histograms of the watched edge and node, read right after a step (before evaluation reuses the tape). */
  private watchedHistograms(): Snapshot['watched'] {
    const run = this.run;
    if (!run || run.trainer.step === 0) return undefined;
    const { edgeId, nodeId } = this.watched;
    const out: NonNullable<Snapshot['watched']> = {};
    const edge = edgeId ? run.plan.edges.find((e) => e.id === edgeId) : undefined;
    if (edge?.tensor) {
      const t = edge.tensor;
      out.edgeId = edge.id;
      if (t.grad.length > 0) out.gradient = histogram(t.grad, t.size);
      out.activation = histogram(t.value, t.size);
    }
    const node = nodeId ? run.plan.nodes.find((n) => n.id === nodeId) : undefined;
    if (node && node.params.length > 0) {
      let total = 0;
      for (const p of node.params) total += p.size;
      const all = new Float32Array(total);
      let at = 0;
      for (const p of node.params) {
        all.set(p.value.subarray(0, p.size), at);
        at += p.size;
      }
      out.nodeId = node.id;
      out.weights = histogram(all, total);
    }
    return out.edgeId || out.nodeId ? out : undefined;
  }

  /** Epochs whose batches have all been used. */
  private epochsCompleted(): number {
    const trainer = this.run?.trainer;
    return trainer ? trainer.epoch + (trainer.epochDone ? 1 : 0) : 0;
  }

  get currentState(): SessionState {
    return this.state;
  }

  get currentStep(): number {
    return this.run?.trainer.step ?? 0;
  }

  /** Receives every snapshot; returns the function that stops it. */
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.stopRun();
    this.listeners.clear();
  }

  private stopRun(): void {
    this.generation++;
    this.stepsRemaining = 0;
    this.run = null;
    this.model = null;
    this.state = 'empty';
    this.evaluation = undefined;
    this.divergence = undefined;
    this.pendingSettings = null;
    this.lastGridAt = -Infinity;
    this.resolveStepWaiters();
  }

  private scheduleSlice(): void {
    if (this.loopScheduled) return;
    this.loopScheduled = true;
    const generation = this.generation;
    this.yieldToLoop(() => {
      this.loopScheduled = false;
      if (generation === this.generation) this.slice();
    });
  }

  private traceLoss(step: number, loss: number): void {
    if (this.lossTraceCount === 0) this.lossTraceFirstStep = step;
    if (this.lossTraceCount === MAX_LOSS_TRACE) {
      // The page is not taking snapshots; keep the latest half and go on (no allocation per step).
      const drop = MAX_LOSS_TRACE / 2;
      this.lossTrace.copyWithin(0, drop);
      this.lossTraceCount -= drop;
      this.lossTraceFirstStep += drop;
    }
    this.lossTrace[this.lossTraceCount++] = loss;
  }

  /** Trains for about SLICE_MS, then snapshots if one is due and yields. */
  private slice(): void {
    const run = this.run;
    if (!run || this.state !== 'training') return;
    const { trainer } = run;
    const start = this.now();
    while (this.stepsRemaining > 0 && this.now() - start < SLICE_MS) {
      this.applyPendingSettings();
      const result = trainer.trainStep();
      this.stepsRemaining--;
      this.lastLoss = result.loss;
      this.lastTrainBatch = run.plan.tape.batch;
      this.traceLoss(trainer.step, result.loss);
      if (result.divergence) {
        this.divergence = result.divergence;
        this.stepsRemaining = 0;
        void this.finishRun('diverged');
        return;
      }
      if (this.stepsRemaining === Infinity && this.epochsCompleted() >= this.epochTarget) {
        this.stepsRemaining = 0;
        void this.finishRun('done');
        return;
      }
    }
    if (this.stepsRemaining <= 0) {
      void this.finishRun('paused');
      return;
    }
    if (this.now() - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) void this.emit(false);
    this.scheduleSlice();
  }

  /** Ends a run of steps: the state changes, a forced snapshot goes out, and step(n) callers resolve once it was taken. */
  private async finishRun(state: SessionState): Promise<void> {
    this.state = state;
    const waiters = this.stepWaiters;
    this.stepWaiters = [];
    await this.emit(true);
    for (const w of waiters) w();
  }

  private resolveStepWaiters(): void {
    const waiters = this.stepWaiters;
    this.stepWaiters = [];
    for (const w of waiters) w();
  }

  private applyPendingSettings(): void {
    const patch = this.pendingSettings;
    const run = this.run;
    if (!patch || !run) return;
    this.pendingSettings = null;
    if (patch.batchSize !== undefined && patch.batchSize > run.plan.tape.maxBatch) this.rebuildForBatch(patch.batchSize);
    this.run!.trainer.updateSettings(patch);
    // A new epoch count is the run's new length (a count already passed ends the run now).
    if (patch.epochs !== undefined) this.epochTarget = Math.max(patch.epochs, this.epochsCompleted());
  }

  /** A batch larger than the plan was built for needs a new plan: same graph and weights, larger buffers. */
  private rebuildForBatch(batchSize: number): void {
    const old = this.run!;
    const model = this.model!;
    const plan = new Plan(old.plan.compiled, old.split.info, { maxBatch: batchSize, seed: model.training.seed });
    plan.params.forEach((p, i) => p.value.set(old.plan.params[i]!.value));
    const trainer = new Trainer(plan, old.split, { ...old.trainer.currentSettings, batchSize });
    trainer.step = old.trainer.step;
    trainer.epoch = old.trainer.epoch;
    trainer.samplesSeen = old.trainer.samplesSeen;
    this.run = { ...old, plan, trainer };
  }

  /**
   * Sends a snapshot: when forced (the final one of a step(n), a pause, a reset or a load) always;
   * otherwise only when the page has taken the previous one (back-pressure). Train and test
   * metrics are re-evaluated when an epoch has ended since the last evaluation, and on forced
   * snapshots: so at least once per epoch, and never more often than snapshots go out.
   */
  private async emit(force: boolean): Promise<void> {
    const run = this.run;
    if (!run || this.listeners.size === 0) return;
    if (!force && this.inFlight > 0) return;
    const { plan, trainer } = run;
    const now = this.now();
    // Statistics first: evaluation and the grid reuse the tape's activations. Those (and the
    // attention view or text sampling while paused) change the tape's batch size, and the
    // gradients from the last step are over that step's batch.
    if (trainer.step > 0 && this.lastTrainBatch > 0) plan.tape.setBatch(this.lastTrainBatch);
    const edgeStats = new Float32Array(plan.edges.length * EDGE_STATS);
    const nodeStats = new Float32Array(plan.nodes.length * NODE_STATS);
    const watched = this.watchedHistograms();
    const edgeTimeRms = plan.timeStatsLength > 0 ? new Float32Array(plan.timeStatsLength) : undefined;
    if (trainer.step > 0) {
      plan.edgeStats(edgeStats);
      if (edgeTimeRms) plan.edgeTimeRms(edgeTimeRms);
      plan.nodeStats(nodeStats, trainer.optimizer.lastUpdateNorm);
    } else {
      edgeStats.fill(NaN);
      nodeStats.fill(NaN);
      edgeTimeRms?.fill(NaN);
    }
    const evaluatedEpoch = this.evaluation ? this.evaluation.epoch : -1;
    const images = isImageClassification(run.split);
    let confusion: Snapshot['confusion'];
    if ((force && this.evaluation?.step !== trainer.step) || trainer.epoch > evaluatedEpoch || (trainer.epochDone && this.evaluation?.step !== trainer.step)) {
      // Train metrics are the running averages over the epoch's batches (free); before any step, one evaluation.
      const train = trainer.trainMetrics ?? trainer.evaluate('train', TRAIN_EVAL_SAMPLES);
      this.evaluation = { step: trainer.step, epoch: trainer.epochDone ? trainer.epoch + 1 : trainer.epoch, train, test: trainer.evaluate('test') };
      if (images) confusion = { step: trainer.step, ...confusionMatrix(plan, run.split) };
    }
    let grid: PredictionGrid | undefined;
    let samples: Snapshot['samples'];
    if ((this.extent || images) && (force || now - this.lastGridAt >= GRID_INTERVAL_MS)) {
      if (this.extent) grid = predictGrid(plan, this.extent, GRID_RESOLUTION);
      if (images) samples = predictClasses(plan, run.split.test.x, Math.min(SAMPLE_GRID_SIZE, run.split.test.count));
      this.lastGridAt = now;
    }
    const elapsed = now - this.rate.at;
    if (elapsed >= 200) {
      this.rate = { at: now, samples: trainer.samplesSeen, value: ((trainer.samplesSeen - this.rate.samples) * 1000) / elapsed };
    }
    const snapshot: Snapshot = {
      state: this.state,
      step: trainer.step,
      epoch: trainer.epoch,
      samplesSeen: trainer.samplesSeen,
      samplesPerSecond: this.state === 'training' ? this.rate.value : 0,
      trainLoss: this.lastLoss,
      runningLoss: trainer.step > 0 ? (trainer.trainMetrics?.loss ?? this.lastLoss) : NaN,
      epochTarget: this.epochTarget,
      stepsPerEpoch: Math.ceil(run.split.train.count / trainer.currentSettings.batchSize),
      edgeStats,
      nodeStats,
      ...(edgeTimeRms ? { edgeTimeRms } : {}),
      ...(this.evaluation ? { evaluation: this.evaluation } : {}),
      ...(this.lossTraceCount > 0 ? { lossTrace: { firstStep: this.lossTraceFirstStep, losses: this.lossTrace.slice(0, this.lossTraceCount) } } : {}),
      ...(grid ? { grid } : {}),
      ...(samples ? { samples } : {}),
      ...(confusion ? { confusion } : {}),
      ...(watched ? { watched } : {}),
      ...(this.divergence ? { divergence: this.divergence } : {}),
    };
    this.lastSnapshotAt = now;
    this.lossTraceCount = 0;
    const acks: Promise<void>[] = [];
    // Each listener gets its own arrays (the worker transfers them): copy all before the first is sent.
    const listeners = [...this.listeners];
    const copies = listeners.map((_, i) => (i === 0 ? snapshot : cloneSnapshot(snapshot)));
    listeners.forEach((listener, i) => {
      const ack = listener(copies[i]!);
      if (ack && typeof ack.then === 'function') {
        this.inFlight++;
        acks.push(ack.then(() => void this.inFlight--, () => void this.inFlight--));
      }
    });
    await Promise.all(acks);
  }
}

function cloneSnapshot(s: Snapshot): Snapshot {
  return { ...s, edgeStats: s.edgeStats.slice(), nodeStats: s.nodeStats.slice(), ...(s.grid ? { grid: { ...s.grid, values: s.grid.values.slice() } } : {}),
    ...(s.edgeTimeRms ? { edgeTimeRms: s.edgeTimeRms.slice() } : {}),
    ...(s.lossTrace ? { lossTrace: { ...s.lossTrace, losses: s.lossTrace.losses.slice() } } : {}),
    ...(s.samples ? { samples: { predicted: s.samples.predicted.slice(), confidence: s.samples.confidence.slice() } } : {}),
    ...(s.confusion ? { confusion: { ...s.confusion, counts: s.confusion.counts.slice() } } : {}),
  };
}
