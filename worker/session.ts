/**
 * TrainingSession: owns one training run (plan, data, optimizer, loop) and streams snapshots.
 * It is plain TypeScript with no Worker API, so tests drive it under Node; the worker entry
 * exposes it with comlink.
 *
 * The loop runs in slices of about SLICE_MS and yields to the event loop between them, so pause,
 * step and new settings take effect within one slice, and the worker answers the page's heartbeat
 * however large the model. Evaluations run in the same slices, a piece at a time (evaluation.ts),
 * within a share of the training time; what a snapshot holds is built in snapshot.ts.
 */
import { describeOutOfMemory } from '../engine/compiler/budget';
import { CompileFailed, type Plan } from '../engine/compiler/plan';
import { budgetIssue, estimateSize } from '../engine/compiler/budget';
import { parseCsvDataset, type ReadDatasetFile, type TableTask } from '../engine/data';
import { DatasetError, type Dataset } from '../engine/data/types';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedTensor } from '../engine/export/safetensors';
import { loadWeights, planWeights, weightProblems } from '../engine/export/weights';
import { writeOnnx } from '../engine/export/onnx';
import { pytorchFiles } from '../engine/export/pytorch';
import { strToU8, zipSync } from 'fflate';
import { parseModelObject, type ModelDefinition } from '../engine/model';
import { LiveSettingsSchema } from '../engine/model/schema';
import { createTrainingRun, withLargerBatch, type TrainingRun } from '../engine/train/run';
import type { TrainingSettings } from '../engine/train/settings';
import type { Divergence } from '../engine/train/trainer';
import type { Metrics } from '../engine/train/metrics';
import { attentionMap, MAX_SAMPLE_LENGTH, sampleText, withEvalPasses, type AttentionMap, type SampleTextOptions } from './sequence';
import { unigramBaseline } from '../engine/data/text';
import { defaultYield } from './yield';
import { engineInfo } from './engine';
import { gridExtent, isImageClassification, predictClasses, predictGrid, sampleImages } from './predict';
import { EvaluationJob, EvaluationSchedule, TRAIN_EVAL_SAMPLES } from './evaluation';
import { captureStats, cloneSnapshot, EdgeValueKeeper, LossTrace, watchedHistograms, type StepStats, type Watched } from './snapshot';
import { DistributionHistory } from './distributions';
import { cnnView, type CnnView } from './cnn';
import {
  GRID_PER_SECOND,
  GRID_RESOLUTION,
  MAX_SNAPSHOTS_PER_SECOND,
  MIN_SNAPSHOTS_PER_SECOND,
  SNAPSHOT_BUDGET,
  SAMPLE_GRID_SIZE,
  SLICE_MS,
  type EvaluationPoint,
  type LoadResult,
  type PredictionGrid,
  type ProgressCallback,
  type SessionState,
  type SettingChange,
  type Snapshot,
} from './protocol';

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
const MAX_SNAPSHOT_INTERVAL_MS = 1000 / MIN_SNAPSHOTS_PER_SECOND;
/** Characters generated between two yields to the event loop (see sampleText). */
const SAMPLE_CHUNK = 40;
const GRID_INTERVAL_MS = 1000 / GRID_PER_SECOND;
/** An evaluation that took less than this (ms) is repeated after every Step and Pause, whatever the budget. */
const CHEAP_EVALUATION_MS = 30;

/** How a finished stretch of training decides on a new evaluation. */
type EvaluateWhen = 'always' | 'if-cheap' | 'never';

class Superseded extends Error {}

export class TrainingSession {
  private readonly readFile: ReadDatasetFile;
  private readonly now: () => number;
  private readonly yieldToLoop: (fn: () => void) => void;
  private readonly listeners = new Set<SnapshotListener>();
  private run: TrainingRun | null = null;
  private model: ModelDefinition | null = null;
  /** The page's id for the loaded run; every snapshot carries it. */
  private runId = 0;
  private state: SessionState = 'empty';
  /** Bumped by load and dispose, so a loop of an older run stops. */
  private generation = 0;
  private loopScheduled = false;
  private stepsRemaining = 0;
  private stepWaiters: (() => void)[] = [];
  private pendingSettings: Partial<TrainingSettings> | null = null;
  /** Live settings that took effect since the last snapshot. */
  private settingChanges: SettingChange[] = [];
  private lastLoss = NaN;
  /** The size of the last training batch: the gradients on the tape are over that many samples. */
  private lastTrainBatch = 0;
  /** Whether the tape's forward values are the last training batch's (false while an evaluation is running through the tape). */
  private valuesFresh = false;
  /** Keeps those values across evaluations and predictions. */
  private keeper: EdgeValueKeeper | null = null;
  /** Statistics of the last step, read while the tape still held it. */
  private stats: StepStats | null = null;
  /** Batch losses of the steps since the last snapshot (the chart draws every step, not only each snapshot's). */
  private readonly lossTrace = new LossTrace();
  private evaluation: EvaluationPoint | undefined;
  /** Evaluations not yet sent. */
  private newEvaluations: EvaluationPoint[] = [];
  private confusion: Snapshot['confusion'];
  /** The evaluation in progress: it advances a piece per slice. */
  private job: { job: EvaluationJob; step: number; epoch: number; train: Metrics | undefined; ms: number } | null = null;
  private readonly schedule = new EvaluationSchedule();
  private lastEvaluationMs = Infinity;
  private divergence: Divergence | undefined;
  private lastSnapshotAt = -Infinity;
  /** What a snapshot takes to build and post (ms), a moving average: it sets their pace (SNAPSHOT_BUDGET). */
  private snapshotCostMs = 0;
  private lastGridAt = -Infinity;
  private inFlight = 0;
  private rate = { at: 0, samples: 0, value: 0 };
  private extent: PredictionGrid['extent'] | null = null;
  /** The run's distributions over time, and what of them the page last got. */
  private distributions: DistributionHistory | null = null;
  private sentDistributions: { version: number; edgeId: string | null; nodeId: string | null } | null = null;
  /** Whether grids carry unit maps (the page's canvas toggle). */
  private unitMapsOn = false;
  /** The edge and node the page inspects: their value histograms ride along in snapshots. */
  private watched: Watched = { edgeId: null, nodeId: null };
  /** Training stops (state 'done') when this many epochs are complete; null: until paused. */
  private epochTarget: number | null = null;

  constructor(options: SessionOptions) {
    this.readFile = options.readFile;
    this.now = options.now ?? (() => performance.now());
    this.yieldToLoop = options.yieldToLoop ?? defaultYield();
  }

  /**
   * Loads a model (raw JSON, validated here) and its dataset, stopping any run in progress, and
   * evaluates the untrained model. `runId` tags the run's snapshots; `onProgress` hears each
   * phase. It yields between phases and between pieces of the evaluation, so the worker keeps
   * answering while a large dataset or model loads. Never throws for bad input: problems come
   * back with where they are.
   */
  async load(json: unknown, csv?: CsvChoice, runId?: number, onProgress?: ProgressCallback): Promise<LoadResult> {
    this.stopRun();
    const generation = this.generation;
    const parsed = parseModelObject(json);
    if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ path: e.path, message: e.message })) };
    const model = parsed.model;
    const report: ProgressCallback = (p) => {
      if (generation === this.generation) void Promise.resolve(onProgress?.(p)).catch(() => {});
    };
    const phase = async (p: 'dataset' | 'model'): Promise<void> => {
      report(p === 'dataset' ? { phase: p, message: csv ? 'Reading your CSV…' : `Loading the dataset '${model.training.dataset}'…` } : { phase: p, message: 'Building the model…' });
      await this.nextTick();
      if (generation !== this.generation) throw new Superseded();
    };
    let run: TrainingRun;
    try {
      const dataset: Dataset | undefined = csv ? parseCsvDataset(csv.text, { id: 'csv', name: csv.name ?? 'Your CSV', ...(csv.labelColumn ? { labelColumn: csv.labelColumn } : {}), ...(csv.task ? { task: csv.task } : {}) }) : undefined;
      run = await createTrainingRun(model, this.readFile, dataset, phase);
    } catch (e) {
      if (e instanceof Superseded) return superseded();
      if (e instanceof CompileFailed) {
        return { ok: false, errors: e.issues.filter((i) => i.severity === 'error').map((i) => ({ message: i.fix ? `${i.message} ${i.fix}` : i.message, ...(i.nodeId ? { nodeId: i.nodeId } : {}), ...(i.edgeId ? { edgeId: i.edgeId } : {}) })) };
      }
      if (e instanceof DatasetError) return { ok: false, errors: [{ message: `Dataset: ${e.message}` }] };
      const tooLarge = describeOutOfMemory(e, 'this tab');
      if (tooLarge) return { ok: false, errors: [{ message: tooLarge }] };
      return { ok: false, errors: [{ message: `Could not load the dataset '${model.training.dataset}': ${(e as Error).message}` }] };
    }
    if (generation !== this.generation) return superseded();
    this.run = run;
    this.model = model;
    this.keeper = new EdgeValueKeeper(run.plan);
    this.distributions = new DistributionHistory(run.plan);
    this.sentDistributions = null;
    this.runId = runId ?? this.runId + 1;
    this.state = 'ready';
    this.epochTarget = epochTargetOf(run.trainer.currentSettings, 0);
    this.extent = gridExtent(run.split);
    this.rate = { at: this.now(), samples: 0, value: 0 };
    this.schedule.reset();
    report({ phase: 'evaluate', message: 'Evaluating the untrained model…', fraction: 0 });
    await this.evaluateNow((fraction) => report({ phase: 'evaluate', message: 'Evaluating the untrained model…', fraction }));
    if (generation !== this.generation) return superseded();
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
      engine: engineInfo(run.plan.tape.arena),
      ...(run.split.info.task === 'sequence' && run.split.info.vocabSize ? { baseline: { loss: unigramBaseline(run.split), label: 'unigram' } } : {}),
      ...(isImageClassification(run.split) ? { samples: sampleImages(run.split, SAMPLE_GRID_SIZE) } : {}),
    };
  }

  /** Trains until paused (or diverged, or done when the run stops at an epoch count). */
  start(): void {
    if (!this.run || this.state === 'diverged') return;
    this.applyPendingSettings();
    const settings = this.run.trainer.currentSettings;
    if (this.epochTarget !== null && this.epochsCompleted() >= this.epochTarget) this.epochTarget = this.epochsCompleted() + settings.epochs;
    this.state = 'training';
    this.stepsRemaining = Infinity;
    // The time paused is not training time: the rate's window starts now (its last reading stands meanwhile).
    this.rate = { at: this.now(), samples: this.run.trainer.samplesSeen, value: this.rate.value };
    this.scheduleSlice();
  }

  /** Stops after the current step; settles once the page has the final snapshot (with a fresh evaluation). */
  async pause(): Promise<void> {
    if (this.state !== 'training') return;
    this.stepsRemaining = 0;
    await this.finishRun('paused', 'always');
  }

  /** Exactly n optimizer steps, then pause; resolves after the final snapshot is sent. */
  step(n: number): Promise<void> {
    if (!this.run || this.state === 'diverged' || !(n >= 1)) return Promise.resolve();
    this.state = 'training';
    this.stepsRemaining = Math.floor(n);
    this.rate = { at: this.now(), samples: this.run.trainer.samplesSeen, value: this.rate.value };
    const done = new Promise<void>((resolve) => this.stepWaiters.push(resolve));
    this.scheduleSlice();
    return done;
  }

  /** The attention weights of Attention node `nodeId` on test sample `sample` (for the attention view). */
  attention(nodeId: string, sample: number): AttentionMap | { error: string } {
    const run = this.run;
    if (!run) return { error: 'Load a model first.' };
    return this.borrowTape(() => withEvalPasses(run.plan, () => attentionMap(run.plan, run.split, nodeId, sample)));
  }

  /** A Conv2D node's filters and test image `sample`'s feature maps through every convolution and pooling layer (the CNN view). */
  cnn(nodeId: string, sample: number): CnnView | { error: string } {
    const run = this.run;
    if (!run) return { error: 'Load a model first.' };
    return this.borrowTape(() => withEvalPasses(run.plan, () => cnnView(run.plan, run.split, nodeId, sample)));
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
      const part = this.borrowTape(() => withEvalPasses(run.plan, () => sampleText(run.plan, run.split, { ...options, prompt: options.prompt + text, length, seed })));
      if ('error' in part) return part;
      text += part.text;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    return { text };
  }

  /**
   * Re-initializes the weights from the seed (or puts `weights` in, for importWeights) and starts the
   * run over (paused); settles once the page has the snapshot.
   */
  async reset(weights?: readonly NamedTensor[]): Promise<void> {
    if (!this.run) return;
    this.stepsRemaining = 0;
    this.job = null;
    this.applyPendingSettings();
    this.run.trainer.reset();
    // A fresh start from given weights instead of the seed's (importWeights has checked they fit).
    if (weights) loadWeights(this.run.plan, weights);
    this.epochTarget = epochTargetOf(this.run.trainer.currentSettings, 0);
    this.evaluation = undefined;
    this.newEvaluations = [];
    this.confusion = undefined;
    this.settingChanges = [];
    this.divergence = undefined;
    this.lastLoss = NaN;
    this.lossTrace.clear();
    this.distributions?.clear();
    this.lastGridAt = -Infinity;
    this.stats = null;
    this.valuesFresh = false;
    this.keeper?.drop();
    this.schedule.reset();
    this.rate = { at: this.now(), samples: 0, value: 0 };
    await this.finishRun('ready', 'always');
  }

  /** The loaded run's weights as a safetensors file (engine/export/), or null before a model is loaded. */
  exportWeights(): Uint8Array | null {
    const run = this.run;
    if (!run || !this.model) return null;
    return encodeSafetensors(planWeights(run.plan), { producer: 'gradflow', model: this.model.name ?? 'untitled', steps: String(run.trainer.step) });
  }

  /**
   * The loaded run for another tool, with its weights as they are now (or null before a load):
   * 'pytorch', a zip of the PyTorch project (model.py, train.py, weights, data, README) under the
   * folder `<name>-pytorch/`; 'onnx', the .onnx file for inference. The training settings are the
   * run's, live changes included.
   */
  exportModel(kind: 'pytorch' | 'onnx', name: string): Uint8Array | null {
    const run = this.run;
    if (!run || !this.model) return null;
    const model: ModelDefinition = { ...this.model, training: { ...this.model.training, ...run.trainer.currentSettings } };
    if (kind === 'onnx') return writeOnnx(run.plan, model.name ?? name);
    const files: Record<string, Uint8Array> = {};
    for (const [file, content] of pytorchFiles(run, model)) files[`${name}-pytorch/${file}`] = typeof content === 'string' ? strToU8(content) : content;
    return zipSync(files, { level: 6 });
  }

  /**
   * Starts the loaded run afresh from the weights in a safetensors file: step 0, a fresh optimizer,
   * these weights. A damaged file, or one for another graph, is refused with every reason, and the
   * run is left as it was.
   */
  async importWeights(bytes: Uint8Array): Promise<{ ok: true; loaded: number } | { ok: false; problems: string[] }> {
    if (!this.run) return { ok: false, problems: ['no model is loaded to put them in'] };
    let tensors: NamedTensor[];
    try {
      tensors = decodeSafetensors(bytes).tensors;
    } catch (e) {
      if (e instanceof SafetensorsError) return { ok: false, problems: [`not a readable safetensors file: ${e.message}`] };
      throw e;
    }
    const problems = weightProblems(this.run.plan, tensors);
    if (problems.length > 0) return { ok: false, problems };
    // As From scratch does (the page pauses first), with these weights for the seed's.
    await this.reset(tensors);
    return { ok: true, loaded: tensors.length };
  }

  /**
   * New live settings (learning rate, batch size, optimizer, l2, clipping, epochs …), applied
   * before the next step. The page's word is checked here, at the boundary: a setting that is not
   * live, or a value the model format would refuse, is refused with the reason and nothing changes.
   */
  setTrainingSettings(patch: unknown): { ok: true } | { ok: false; errors: { path: string; message: string }[] } {
    const parsed = LiveSettingsSchema.safeParse(patch);
    if (!parsed.success) {
      return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(settings)', message: i.message })) };
    }
    const settings = parsed.data as Partial<TrainingSettings>;
    // A larger batch needs larger buffers: the same budget as compile's, at the new size.
    const run = this.run;
    if (run && settings.batchSize !== undefined && settings.batchSize > run.plan.tape.maxBatch) {
      const issue = budgetIssue(run.plan.compiled, estimateSize(run.plan.compiled, run.split.info, settings.batchSize));
      if (issue) return { ok: false, errors: [{ path: 'batchSize', message: `${issue.message} ${issue.fix ?? ''}`.trim() }] };
    }
    this.pendingSettings = { ...this.pendingSettings, ...settings };
    if (this.state !== 'training') this.applyPendingSettings();
    return { ok: true };
  }

  /** Loss and metrics on the training and test splits now. */
  evaluate(): { train: Metrics; test: Metrics } | null {
    if (!this.run) return null;
    const { trainer } = this.run;
    return this.borrowTape(() => ({ train: trainer.evaluate('train', TRAIN_EVAL_SAMPLES), test: trainer.evaluate('test') }));
  }

  /** The model's predictions over the data's range, for 2D (a grid) and 1D (a curve) inputs. */
  predictGrid(resolution = GRID_RESOLUTION): PredictionGrid | null {
    const { run, extent } = this;
    if (!run || !extent) return null;
    return this.borrowTape(() => predictGrid(run.plan, extent, resolution, this.unitMapsOn));
  }

  /**
   * Turns the unit maps on or off: with them on, every decision-boundary grid (2D inputs) carries
   * what the first units of each Dense and activation output over it. Sends a snapshot with a
   * fresh grid at once when the run is not training (a training run's next grid brings them).
   */
  async unitMaps(on: boolean): Promise<void> {
    if (this.unitMapsOn === on) return;
    this.unitMapsOn = on;
    if (!this.run || this.state === 'training') {
      this.lastGridAt = -Infinity;
      return;
    }
    await this.emit(true);
  }

  /**
   * Chooses the edge and the node whose histograms (the edge's gradient and values, the node's
   * weights) each snapshot carries; null for none. Sends a snapshot with them at once.
   */
  async watch(edgeId: string | null, nodeId: string | null): Promise<void> {
    this.watched = { edgeId, nodeId };
    const run = this.run;
    if (!run || this.state === 'training') return;
    if (this.stats) {
      this.restoreTrainBatch();
      this.stats.watched = watchedHistograms(run.plan, this.stats.step, this.watched, this.valuesFresh);
    }
    await this.emit(true);
  }

  /** Epochs whose batches have all been used. */
  private epochsCompleted(): number {
    const trainer = this.run?.trainer;
    return trainer ? trainer.epoch + (trainer.epochDone ? 1 : 0) : 0;
  }

  /** The run's planned length in steps, when it stops at an epoch count. */
  private runSteps(): number | null {
    const trainer = this.run?.trainer;
    return trainer && this.epochTarget !== null ? this.epochTarget * trainer.stepsPerEpoch : null;
  }

  get currentState(): SessionState {
    return this.state;
  }

  get currentStep(): number {
    return this.run?.trainer.step ?? 0;
  }

  /** The share of training time spent on evaluations so far (the budget is EVAL_BUDGET). */
  get evaluationCost(): number {
    return this.schedule.cost;
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
    this.newEvaluations = [];
    this.confusion = undefined;
    this.job = null;
    this.stats = null;
    this.valuesFresh = false;
    this.keeper = null;
    this.distributions = null;
    this.divergence = undefined;
    this.pendingSettings = null;
    this.settingChanges = [];
    this.lastGridAt = -Infinity;
    this.snapshotCostMs = 0;
    this.resolveStepWaiters();
  }

  private nextTick(): Promise<void> {
    return new Promise((resolve) => this.yieldToLoop(resolve));
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

  /** Works for about SLICE_MS — on the evaluation in progress, else training — then snapshots if one is due and yields. */
  private slice(): void {
    const run = this.run;
    if (!run || this.state !== 'training') return;
    if (this.job) {
      this.advanceJob();
      // Snapshots keep their pace while an evaluation runs (they carry the step's statistics, read before it).
      if (this.snapshotDue()) void this.emit(false);
      this.scheduleSlice();
      return;
    }
    const { trainer } = run;
    const start = this.now();
    while (this.stepsRemaining > 0 && this.now() - start < SLICE_MS) {
      this.applyPendingSettings();
      const before = this.now();
      const result = trainer.trainStep();
      this.schedule.addTraining(this.now() - before);
      this.stepsRemaining--;
      this.lastLoss = result.loss;
      this.lastTrainBatch = run.plan.tape.batch;
      this.valuesFresh = true;
      this.keeper?.drop();
      this.lossTrace.push(trainer.step, result.loss);
      if (result.divergence) {
        this.divergence = result.divergence;
        this.stepsRemaining = 0;
        void this.finishRun('diverged', 'never');
        return;
      }
      if (this.stepsRemaining === Infinity && this.epochTarget !== null && this.epochsCompleted() >= this.epochTarget) {
        this.stepsRemaining = 0;
        void this.finishRun('done', 'always');
        return;
      }
      if (this.stepsRemaining > 0 && this.schedule.due(trainer.step, this.epochsCompleted(), this.runSteps())) {
        this.startJob();
        break;
      }
    }
    if (this.stepsRemaining <= 0) {
      void this.finishRun('paused', 'if-cheap');
      return;
    }
    if (this.snapshotDue()) void this.emit(false);
    this.scheduleSlice();
  }

  /**
   * Time between snapshots while training: MAX_SNAPSHOTS_PER_SECOND at most, and no oftener than
   * keeps their cost within SNAPSHOT_BUDGET of the time (MIN_SNAPSHOTS_PER_SECOND at least).
   */
  private snapshotIntervalMs(): number {
    return Math.min(MAX_SNAPSHOT_INTERVAL_MS, Math.max(SNAPSHOT_INTERVAL_MS, this.snapshotCostMs / SNAPSHOT_BUDGET));
  }

  private snapshotDue(): boolean {
    return this.now() - this.lastSnapshotAt >= this.snapshotIntervalMs();
  }

  /** Sets the tape back to the last training batch's size: the gradients on it are over that many samples (evaluations and predictions change it). */
  private restoreTrainBatch(): void {
    const { plan, trainer } = this.run!;
    if (trainer.step > 0 && this.lastTrainBatch > 0) plan.tape.setBatch(this.lastTrainBatch);
  }

  /**
   * Runs other batches through the tape (a prediction, the attention view, text) and puts the last
   * training step's values back afterwards, so its statistics stay readable.
   */
  private borrowTape<T>(use: () => T): T {
    const fresh = this.valuesFresh;
    if (fresh) this.keeper?.save();
    try {
      return use();
    } finally {
      if (fresh && this.keeper?.restore()) this.restoreTrainBatch();
      else this.valuesFresh = false;
    }
  }

  /** Reads the last step's statistics while the tape still holds its batch. */
  private captureNow(): void {
    const { plan, trainer } = this.run!;
    this.restoreTrainBatch();
    this.stats = captureStats(plan, trainer.step, trainer.optimizer.lastUpdateNorm, this.watched, this.valuesFresh);
    this.distributions?.capture(plan, trainer.step);
  }

  /** The inspected edge's and node's distributions over time, when they changed since the page last got them. */
  private distributionsToSend(plan: Plan): Snapshot['distributions'] {
    const history = this.distributions;
    const { edgeId, nodeId } = this.watched;
    if (!history || (!edgeId && !nodeId)) return undefined;
    const sent = this.sentDistributions;
    if (sent && sent.version === history.version && sent.edgeId === edgeId && sent.nodeId === nodeId) return undefined;
    this.sentDistributions = { version: history.version, edgeId, nodeId };
    const gradient = edgeId ? history.series(plan, 'gradient', edgeId) : undefined;
    const weights = nodeId ? history.series(plan, 'weights', nodeId) : undefined;
    return {
      ...(edgeId ? { edgeId } : {}),
      ...(gradient ? { gradient } : {}),
      ...(nodeId ? { nodeId } : {}),
      ...(weights ? { weights } : {}),
    };
  }

  /** Starts evaluating the current weights (statistics of the step are read first: the evaluation overwrites the tape). */
  private startJob(): void {
    const { trainer, split } = this.run!;
    if (this.valuesFresh || this.stats?.step !== trainer.step) this.captureNow();
    if (this.valuesFresh) this.keeper?.save();
    this.valuesFresh = false;
    const train = trainer.step > 0 ? trainer.trainMetrics : undefined;
    this.job = {
      job: new EvaluationJob(trainer, split, { confusion: isImageClassification(split), trainSamples: train ? 0 : TRAIN_EVAL_SAMPLES }),
      step: trainer.step,
      epoch: this.epochsCompleted(),
      train,
      ms: 0,
    };
  }

  /** Evaluates for about SLICE_MS; returns whether the evaluation is complete (its result is then the latest). */
  private advanceJob(): boolean {
    const entry = this.job;
    if (!entry) return true;
    const start = this.now();
    const done = entry.job.advance(() => this.now() - start >= SLICE_MS);
    entry.ms += this.now() - start;
    if (!done) return false;
    if (this.job === entry) this.job = null;
    if (this.keeper?.restore()) {
      this.restoreTrainBatch();
      this.valuesFresh = true;
    }
    const result = entry.job.result();
    const point: EvaluationPoint = { step: entry.step, epoch: entry.epoch, train: entry.train ?? result.train, test: result.test };
    this.evaluation = point;
    this.newEvaluations.push(point);
    if (result.confusion) this.confusion = { step: entry.step, ...result.confusion };
    this.schedule.evaluated(entry.step, entry.epoch, entry.ms, entry.ms * entry.job.testShare);
    this.lastEvaluationMs = entry.ms;
    return true;
  }

  /** Runs the evaluation in progress (or a new one) to the end, yielding between pieces. */
  private async evaluateNow(onFraction?: (fraction: number) => void): Promise<void> {
    const run = this.run;
    if (!run) return;
    if (!this.job) this.startJob();
    while (this.job && this.run === run) {
      if (this.advanceJob()) return;
      onFraction?.(this.job?.job.fraction ?? 1);
      await this.nextTick();
    }
  }

  /**
   * Ends a stretch of steps: the state changes, an evaluation runs when wanted (always on a pause
   * or at the run's end; after Step only when cheap or due), a forced snapshot goes out, and
   * step(n) callers resolve once it was taken.
   */
  private async finishRun(state: SessionState, evaluate: EvaluateWhen): Promise<void> {
    this.state = state;
    const waiters = this.stepWaiters;
    this.stepWaiters = [];
    const run = this.run;
    if (run) {
      const { trainer } = run;
      if (this.valuesFresh) this.captureNow();
      const current = this.evaluation?.step === trainer.step;
      const wanted =
        !current &&
        (this.job !== null ||
          evaluate === 'always' ||
          (evaluate === 'if-cheap' && (this.lastEvaluationMs < CHEAP_EVALUATION_MS || this.schedule.due(trainer.step, this.epochsCompleted(), this.runSteps()))));
      if (wanted) await this.evaluateNow();
    }
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
    const before = run.trainer.currentSettings;
    const changed = Object.fromEntries(Object.entries(patch).filter(([key, value]) => before[key as keyof TrainingSettings] !== value)) as Partial<TrainingSettings>;
    if (Object.keys(changed).length === 0) return;
    if (changed.batchSize !== undefined && changed.batchSize > run.plan.tape.maxBatch) this.rebuildForBatch(changed.batchSize);
    this.run!.trainer.updateSettings(changed);
    this.settingChanges.push({ step: run.trainer.step, settings: changed });
    // A new epoch count is the run's new length (a count already passed ends the run now).
    if (changed.epochs !== undefined || changed.stopAtEpochs !== undefined) this.epochTarget = epochTargetOf(this.run!.trainer.currentSettings, this.epochsCompleted());
  }

  /** A batch larger than the plan was built for needs a new plan: same graph and weights, larger buffers. */
  private rebuildForBatch(batchSize: number): void {
    const run = withLargerBatch(this.run!, batchSize, this.model!.training.seed);
    this.run = run;
    this.keeper = new EdgeValueKeeper(run.plan);
    this.valuesFresh = false;
    this.job = null;
  }

  /**
   * Sends a snapshot: when forced (the final one of a step(n), a pause, a reset or a load) always;
   * otherwise only when the page has taken the previous one (back-pressure). It carries the last
   * step's statistics, every evaluation and setting change since the last snapshot, and, at a
   * lower rate, the decision boundary or the image predictions.
   */
  private async emit(force: boolean): Promise<void> {
    const run = this.run;
    if (!run || this.listeners.size === 0) return;
    if (!force && this.inFlight > 0) return;
    const { plan, trainer } = run;
    const now = this.now();
    if (this.valuesFresh || this.stats?.step !== trainer.step) this.captureNow();
    const stats = this.stats!;
    const images = isImageClassification(run.split);
    let grid: PredictionGrid | undefined;
    let samples: Snapshot['samples'];
    if ((this.extent || images) && (force || now - this.lastGridAt >= GRID_INTERVAL_MS)) {
      this.borrowTape(() =>
        withEvalPasses(plan, () => {
          if (this.extent) grid = predictGrid(plan, this.extent, GRID_RESOLUTION, this.unitMapsOn);
          if (images) samples = predictClasses(plan, run.split.test.x, Math.min(SAMPLE_GRID_SIZE, run.split.test.count));
        }),
      );
      this.lastGridAt = now;
    }
    // Samples per second over about a second of training (the first reading sooner): a shorter window
    // swung by a third whenever it held an evaluation or a decision-boundary grid.
    const elapsed = now - this.rate.at;
    if (elapsed >= (this.rate.value > 0 ? 1000 : 200)) {
      this.rate = { at: now, samples: trainer.samplesSeen, value: ((trainer.samplesSeen - this.rate.samples) * 1000) / elapsed };
    }
    const snapshot: Snapshot = {
      runId: this.runId,
      state: this.state,
      step: trainer.step,
      epoch: trainer.epoch,
      samplesSeen: trainer.samplesSeen,
      samplesPerSecond: this.state === 'training' ? this.rate.value : 0,
      trainLoss: this.lastLoss,
      runningLoss: trainer.step > 0 ? (trainer.trainMetrics?.loss ?? this.lastLoss) : NaN,
      epochTarget: this.epochTarget,
      stepsPerEpoch: trainer.stepsPerEpoch,
      // Copies: the arrays are transferred, and the statistics may be sent again (a watch while paused).
      edgeStats: stats.edgeStats.slice(),
      nodeStats: stats.nodeStats.slice(),
      ...(stats.edgeTimeRms ? { edgeTimeRms: stats.edgeTimeRms.slice() } : {}),
      ...(stats.watched ? { watched: stats.watched } : {}),
      ...(this.evaluation ? { evaluation: this.evaluation } : {}),
      ...(this.newEvaluations.length > 0 ? { evaluations: this.newEvaluations } : {}),
      ...(this.settingChanges.length > 0 ? { settingChanges: this.settingChanges } : {}),
      ...(this.lossTrace.count > 0 ? { lossTrace: this.lossTrace.take() } : {}),
      ...(grid ? { grid } : {}),
      ...(samples ? { samples } : {}),
      ...(this.confusion ? { confusion: this.confusion } : {}),
      ...(this.divergence ? { divergence: this.divergence } : {}),
    };
    const distributions = this.distributionsToSend(plan);
    if (distributions) snapshot.distributions = distributions;
    this.lastSnapshotAt = now;
    this.newEvaluations = [];
    this.settingChanges = [];
    this.confusion = undefined;
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
    // The work above (statistics, predictions, copies, posting): the next snapshots' pace.
    const cost = this.now() - now;
    this.snapshotCostMs = this.snapshotCostMs === 0 ? cost : 0.8 * this.snapshotCostMs + 0.2 * cost;
    await Promise.all(acks);
  }
}

/** When a run with these settings stops by itself: after `epochs` (or now, if already past), or never. */
function epochTargetOf(settings: Readonly<TrainingSettings>, epochsCompleted: number): number | null {
  return settings.stopAtEpochs ? Math.max(settings.epochs, epochsCompleted) : null;
}

function superseded(): LoadResult {
  return { ok: false, errors: [{ message: 'A newer load replaced this one.' }] };
}
