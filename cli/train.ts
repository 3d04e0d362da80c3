/**
 * npm run train -- model.json [--data file.csv] [--label COLUMN] [--task TASK] [--epochs N] [--seed N] [--json]
 *
 * Trains a saved model headlessly with exactly the engine the app's worker uses, printing
 * per-epoch train/test loss and metrics and a final summary (or, with --json, one JSON line per
 * epoch and one for the summary). Exits 1 with a readable message on a bad file or graph, 2 when
 * training diverges.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModel } from '../engine/model';
import { createTrainingRun } from '../engine/train/run';
import { CompileFailed } from '../engine/compiler/plan';
import { DatasetError, type Dataset } from '../engine/data/types';
import type { Metrics } from '../engine/train/metrics';
import { formatSummary, parseArgs, USAGE } from './args';
import { csvDatasetFor, DataChoiceError } from './data';

const datasetsDir = fileURLToPath(new URL('../public/datasets/', import.meta.url));

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const args = parseArgs(process.argv.slice(2));
if ('error' in args) fail(`${args.error}\n\n${USAGE}`);
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function readText(path: string): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (e) {
    fail(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

const text = readText(args.file);
const parsed = parseModel(text);
if (!parsed.ok) fail(`${args.file} is not a valid Gradflow model:\n${parsed.errors.map((e) => `  ${e.message}`).join('\n')}`);
const model = parsed.model;
if (args.epochs !== undefined) model.training.epochs = args.epochs;
if (args.seed !== undefined) model.training.seed = args.seed;

let csv: Dataset | undefined;
try {
  csv = csvDatasetFor(model, args.file, {
    ...(args.data !== undefined ? { data: { path: args.data, text: readText(args.data) } } : {}),
    ...(args.labelColumn !== undefined ? { labelColumn: args.labelColumn } : {}),
    ...(args.task ? { task: args.task } : {}),
  });
} catch (e) {
  if (e instanceof DataChoiceError) fail(e.message);
  if (e instanceof DatasetError) fail(`${args.data ?? `The CSV in ${args.file}`} cannot be used:\n${e.message.split('\n').map((line) => `  ${line}`).join('\n')}`);
  throw e;
}

let run;
try {
  run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`${datasetsDir}${name}`)), csv);
} catch (e) {
  if (e instanceof CompileFailed) {
    const names = new Map(model.nodes.map((n) => [n.id, n.label ?? n.id]));
    const lines = e.issues
      .filter((i) => i.severity === 'error' && i.nodeId)
      .map((i) => `  ${names.get(i.nodeId!) ?? i.nodeId}: ${i.message}${i.fix ? ` ${i.fix}` : ''}`);
    fail(`${args.file}: the network has problems:\n${lines.join('\n')}`);
  }
  if (e instanceof DatasetError) fail(`${args.file}: dataset '${model.training.dataset}': ${e.message}`);
  throw e;
}

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
      if (args.json) console.log(JSON.stringify({ event: 'diverged', epoch, ...result.divergence }));
      fail(result.divergence.message, 2);
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
