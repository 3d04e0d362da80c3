/**
 * npm run train -- model.json [--data file.csv] [--label COLUMN] [--task TASK] [--epochs N] [--seed N]
 *                  [--weights w.safetensors] [--save-weights w.safetensors] [--json]
 *
 * Trains a saved model headlessly with exactly the engine the app's worker uses, printing
 * per-epoch train/test loss and metrics and a final summary (or, with --json, one JSON line per
 * epoch and one for the summary). Exits 1 with a readable message on a bad file or graph (with
 * --json, as one JSON line: cli/report.ts), 2 when training diverges.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSafetensors } from '../engine/export/safetensors';
import { planWeights } from '../engine/export/weights';
import type { ModelDefinition } from '../engine/model';
import type { Metrics } from '../engine/train/metrics';
import type { TrainingRun } from '../engine/train/run';
import { formatSummary, parseArgs, USAGE, type TrainArgs } from './args';
import { Failure, runCommand } from './report';
import { prepareRun } from './setup';

const datasetsDir = fileURLToPath(new URL('../public/datasets/', import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');

await runCommand(main, json);

async function main(): Promise<void> {
  const args = parseArgs(argv);
  if ('error' in args) throw new Failure(args.error, [], 1, USAGE);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { model, run } = await prepareRun(args, { datasetsDir, json: args.json });
  train(run, model, args);
  if (args.saveWeights !== undefined) saveWeights(run, model, args.saveWeights, args);
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
