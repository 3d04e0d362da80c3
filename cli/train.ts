/**
 * npm run train -- model.json [--data file.csv] [--label COLUMN] [--task TASK] [--epochs N] [--seed N]
 *                  [--weights w.safetensors] [--save-weights w.safetensors] [--json]
 *
 * Trains a saved model headlessly with exactly the engine the app's worker uses, printing
 * per-epoch train/test loss and metrics and a final summary (or, with --json, one JSON line per
 * epoch and one for the summary). Exits 1 with a readable message on a bad file or graph (with
 * --json, as one JSON line: cli/report.ts), 2 when training diverges.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOutOfMemory } from '../engine/compiler/budget';
import { CompileFailed } from '../engine/compiler/plan';
import { DatasetError, type Dataset } from '../engine/data/types';
import { readEmbeddedWeights } from '../engine/export/embedded';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedTensor } from '../engine/export/safetensors';
import { loadWeights, planWeights } from '../engine/export/weights';
import { modelFileSizeProblem, parseModel, type EmbeddedWeights, type ModelDefinition } from '../engine/model';
import type { Metrics } from '../engine/train/metrics';
import { createTrainingRun, type TrainingRun } from '../engine/train/run';
import { formatSummary, parseArgs, USAGE, type TrainArgs } from './args';
import { csvDatasetFor, DataChoiceError } from './data';
import { compileProblems, Failure, failureJson, failureText } from './report';

const datasetsDir = fileURLToPath(new URL('../public/datasets/', import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');

try {
  await main();
} catch (e) {
  const failure = asFailure(e);
  if (json) console.log(failureJson(failure));
  else console.error(failureText(failure));
  process.exit(failure.exitCode);
}

/** Anything that stops the command, as something to say; an unexpected error too under --json. */
function asFailure(e: unknown): Failure {
  if (e instanceof Failure) return e;
  const tooLarge = describeOutOfMemory(e, 'this process');
  if (tooLarge) return new Failure(tooLarge);
  if (!json) throw e;
  return new Failure(`Unexpected error: ${e instanceof Error ? e.message : String(e)}`);
}

function readText(path: string, limit?: (bytes: number) => string | undefined): string {
  try {
    const tooLarge = limit?.(statSync(resolve(path)).size);
    if (tooLarge) throw new Failure(`${path}: ${tooLarge}`);
    return readFileSync(resolve(path), 'utf8');
  } catch (e) {
    if (e instanceof Failure) throw e;
    throw new Failure(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(argv);
  if ('error' in args) throw new Failure(args.error, [], 1, USAGE);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const parsed = parseModel(readText(args.file, modelFileSizeProblem));
  if (!parsed.ok) throw new Failure(`${args.file} is not a valid Gradflow model`, parsed.errors.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}) })));
  const model = parsed.model;
  if (args.epochs !== undefined) model.training.epochs = args.epochs;
  if (args.seed !== undefined) model.training.seed = args.seed;

  let run: TrainingRun;
  try {
    run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`${datasetsDir}${name}`)), csvData(model, args));
  } catch (e) {
    if (e instanceof CompileFailed) throw new Failure(`${args.file}: the network has problems`, compileProblems(e, model.edges));
    if (e instanceof DatasetError) throw new Failure(`${args.file}: dataset '${model.training.dataset}': ${e.message}`);
    throw e;
  }
  // --weights wins over weights the model file embeds (Export, "Model + weights").
  if (args.weights !== undefined) startFrom(run, weightsFile(args.weights), { path: args.weights, misfit: `${args.weights} does not fit ${args.file}` }, args);
  else if (model.weights) startFrom(run, embeddedTensors(model.weights, args.file), { path: args.file, embedded: true, misfit: `The weights embedded in ${args.file} do not fit its graph` }, args);
  train(run, model, args);
  if (args.saveWeights !== undefined) saveWeights(run, model, args.saveWeights, args);
}

/** The tensors of a safetensors file, or a stop with why it cannot be read. */
function weightsFile(path: string): NamedTensor[] {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(resolve(path)));
  } catch (e) {
    throw new Failure(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return decodeSafetensors(bytes).tensors;
  } catch (e) {
    if (e instanceof SafetensorsError) throw new Failure(`${path} is not a readable safetensors file: ${e.message}`);
    throw e;
  }
}

/** The tensors a model file embeds, or a stop with why they cannot be read. */
function embeddedTensors(weights: EmbeddedWeights, file: string): NamedTensor[] {
  const read = readEmbeddedWeights(weights);
  if (!read.ok) throw new Failure(`${file}: ${read.problem}`);
  return read.tensors;
}

/** Puts named tensors into the run, or stops with every reason they do not fit. */
function startFrom(run: TrainingRun, tensors: readonly NamedTensor[], source: { path: string; embedded?: boolean; misfit: string }, args: TrainArgs): void {
  const loaded = loadWeights(run.plan, tensors);
  if (!loaded.ok) throw new Failure(source.misfit, loaded.problems.map((message) => ({ message })));
  if (args.json) console.log(JSON.stringify({ event: 'weights-loaded', path: source.path, ...(source.embedded ? { embedded: true } : {}), tensors: loaded.loaded }));
  else console.log(`Starting from the weights ${source.embedded ? 'embedded in' : 'in'} ${source.path} (${loaded.loaded} tensors).`);
}

function saveWeights(run: TrainingRun, model: ModelDefinition, path: string, args: TrainArgs): void {
  const weights = planWeights(run.plan);
  const bytes = encodeSafetensors(weights, { producer: 'gradflow', model: model.name ?? args.file, steps: String(run.trainer.step) });
  try {
    writeFileSync(resolve(path), bytes);
  } catch (e) {
    throw new Failure(`Cannot write ${path}: ${(e as Error).message}`);
  }
  const tensors = weights.length;
  if (args.json) console.log(JSON.stringify({ event: 'weights-saved', path, tensors, bytes: bytes.length }));
  else console.log(`Weights written to ${path} (${tensors} tensors, ${bytes.length.toLocaleString('en-US')} bytes).`);
}

function csvData(model: ModelDefinition, args: TrainArgs): Dataset | undefined {
  try {
    return csvDatasetFor(model, args.file, {
      ...(args.data !== undefined ? { data: { path: args.data, text: readText(args.data) } } : {}),
      ...(args.labelColumn !== undefined ? { labelColumn: args.labelColumn } : {}),
      ...(args.task ? { task: args.task } : {}),
    });
  } catch (e) {
    if (e instanceof DataChoiceError) throw new Failure(e.message);
    if (e instanceof DatasetError) {
      throw new Failure(
        `${args.data ?? `The CSV in ${args.file}`} cannot be used`,
        e.message.split('\n').map((message) => ({ message })),
      );
    }
    throw e;
  }
}

function train(run: TrainingRun, model: ModelDefinition, args: TrainArgs): void {
  const { trainer, plan, split } = run;
  const { epochs } = model.training;
  const metric = (m: Metrics): string => (m.accuracy !== undefined ? `acc ${(m.accuracy * 100).toFixed(1)}%` : `mae ${m.mae!.toPrecision(4)}`);
  if (!args.json) {
    console.log(`${model.name ?? args.file} on ${split.info.name}: ${split.train.count} training and ${split.test.count} test samples, seed ${model.training.seed}\n`);
    console.log(formatSummary(plan.compiled.summary));
  }

  const started = performance.now();
  let last: { train: Metrics; test: Metrics } | undefined;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    for (let s = 0; s < trainer.stepsPerEpoch; s++) {
      const result = trainer.trainStep();
      if (result.divergence) {
        // Under --json the event says it all; the terminal gets the sentence.
        if (args.json) console.log(JSON.stringify({ event: 'diverged', epoch, ...result.divergence }));
        else console.error(result.divergence.message);
        process.exit(2);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    last = { train: trainer.evaluate('train'), test: trainer.evaluate('test') };
    const samplesPerSecond = split.train.count / seconds;
    if (args.json) {
      console.log(JSON.stringify({ event: 'epoch', epoch, epochs, step: trainer.step, seconds: +seconds.toFixed(3), samplesPerSecond: Math.round(samplesPerSecond), train: last.train, test: last.test }));
    } else {
      console.log(`epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}  train loss ${last.train.loss.toFixed(4)} ${metric(last.train)}  test loss ${last.test.loss.toFixed(4)} ${metric(last.test)}  (${seconds.toFixed(2)} s, ${Math.round(samplesPerSecond)} samples/s)`);
    }
  }
  const total = (performance.now() - started) / 1000;
  if (args.json) console.log(JSON.stringify({ event: 'done', epochs, steps: trainer.step, seconds: +total.toFixed(3), final: last }));
  else console.log(`\nDone: ${epochs} epochs, ${trainer.step} steps in ${total.toFixed(1)} s. Test ${metric(last!.test)}, loss ${last!.test.loss.toFixed(4)}.`);
}
