/**
 * What `npm run train` and `npm run export` share: reading a model file, building its run (its
 * dataset, or the user's CSV), and putting in the weights to start from (--weights, else the ones
 * the file embeds). Every refusal is a Failure that says what and where.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CompileFailed } from '../engine/compiler/plan';
import { DatasetError, type Dataset } from '../engine/data/types';
import { readEmbeddedWeights } from '../engine/export/embedded';
import { decodeSafetensors, SafetensorsError, type NamedTensor } from '../engine/export/safetensors';
import { loadWeights } from '../engine/export/weights';
import { modelFileSizeProblem, parseModel, type EmbeddedWeights, type ModelDefinition } from '../engine/model';
import type { TableTask } from '../engine/data/csv';
import { createTrainingRun, type TrainingRun } from '../engine/train/run';
import { csvDatasetFor, DataChoiceError } from './data';
import { compileProblems, Failure } from './report';

/** The options both commands read. */
export interface RunArgs {
  file: string;
  /** Path of a CSV to train on (a model on dataset 'csv'). */
  data?: string;
  labelColumn?: string;
  task?: TableTask;
  epochs?: number;
  seed?: number;
  /** A safetensors file to start from. */
  weights?: string;
}

/**
 * The model file read and checked, its run built, and the weights to start from put in: --weights,
 * else those the file embeds, else the seed's. Says which on stdout (a JSON line under `json`).
 */
export async function prepareRun(args: RunArgs, options: { datasetsDir: string; json: boolean; quiet?: boolean }): Promise<{ model: ModelDefinition; run: TrainingRun; weights: 'file' | 'embedded' | 'seed' }> {
  const parsed = parseModel(readText(args.file, modelFileSizeProblem));
  if (!parsed.ok) throw new Failure(`${args.file} is not a valid Gradflow model`, parsed.errors.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}) })));
  const model = parsed.model;
  if (args.epochs !== undefined) model.training.epochs = args.epochs;
  if (args.seed !== undefined) model.training.seed = args.seed;

  let run: TrainingRun;
  try {
    run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`${options.datasetsDir}${name}`)), csvData(model, args));
  } catch (e) {
    if (e instanceof CompileFailed) throw new Failure(`${args.file}: the network has problems`, compileProblems(e, model.edges));
    if (e instanceof DatasetError) throw new Failure(`${args.file}: dataset '${model.training.dataset}': ${e.message}`);
    throw e;
  }
  // --weights wins over weights the model file embeds (Export, "Model + weights").
  if (args.weights !== undefined) {
    startFrom(run, weightsFile(args.weights), { path: args.weights, misfit: `${args.weights} does not fit ${args.file}` }, options);
    return { model, run, weights: 'file' };
  }
  if (model.weights) {
    startFrom(run, embeddedTensors(model.weights, args.file), { path: args.file, embedded: true, misfit: `The weights embedded in ${args.file} do not fit its graph` }, options);
    return { model, run, weights: 'embedded' };
  }
  return { model, run, weights: 'seed' };
}

export function readText(path: string, limit?: (bytes: number) => string | undefined): string {
  try {
    const tooLarge = limit?.(statSync(resolve(path)).size);
    if (tooLarge) throw new Failure(`${path}: ${tooLarge}`);
    return readFileSync(resolve(path), 'utf8');
  } catch (e) {
    if (e instanceof Failure) throw e;
    throw new Failure(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
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
function startFrom(run: TrainingRun, tensors: readonly NamedTensor[], source: { path: string; embedded?: boolean; misfit: string }, args: { json: boolean; quiet?: boolean }): void {
  const loaded = loadWeights(run.plan, tensors);
  if (!loaded.ok) throw new Failure(source.misfit, loaded.problems.map((message) => ({ message })));
  if (args.quiet) return;
  if (args.json) console.log(JSON.stringify({ event: 'weights-loaded', path: source.path, ...(source.embedded ? { embedded: true } : {}), tensors: loaded.loaded }));
  else console.log(`Starting from the weights ${source.embedded ? 'embedded in' : 'in'} ${source.path} (${loaded.loaded} tensors).`);
}

function csvData(model: ModelDefinition, args: RunArgs): Dataset | undefined {
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

