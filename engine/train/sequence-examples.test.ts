import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile';
import { describeBuiltinDataset } from '../data';
import { unigramBaseline } from '../data/text';
import { loadExample, readDatasetFile } from '../testing/files';
import { createTrainingRun, type TrainingRun } from './run';

/** The sequence templates' model files (app/templates/templates.ts lists them with their lessons). */
const SEQUENCE_EXAMPLES = ['sine-rnn.json', 'char-lstm.json', 'tiny-transformer.json', 'memory-rnn.json', 'memory-lstm.json'];

describe('sequence example files', () => {
  it.each(SEQUENCE_EXAMPLES)('%s loads, has a name, a description and a position for every node, and compiles without errors', (file) => {
    const model = loadExample(file);
    expect(model.name).toBeTruthy();
    expect(model.description).toBeTruthy();
    expect(Object.keys(model.layout ?? {}).sort()).toEqual(model.nodes.map((n) => n.id).sort());
    const compiled = compile(model, describeBuiltinDataset(model.training.dataset, model.training.datasetOptions ?? {}));
    expect(compiled.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(compiled.ok).toBe(true);
  });
});

function trainSteps({ trainer }: TrainingRun, steps: number): void {
  for (let s = 0; s < steps; s++) {
    const r = trainer.trainStep();
    if (r.divergence) throw new Error(r.divergence.message);
  }
}

function variance(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - mean) ** 2;
  return sum / values.length;
}

// Every run below uses the model file's own seed (42): the data, the split, the initial weights
// and the batch order are all fixed by it, so each number is reproducible.
describe('sequence example models train headlessly to their bars', () => {
  it('sine-rnn: the test MSE ends far below the variance of the targets (the file’s 20 epochs)', async () => {
    const model = loadExample('sine-rnn.json');
    const run = await createTrainingRun(model, readDatasetFile);
    trainSteps(run, run.trainer.stepsPerEpoch * model.training.epochs);
    const mse = run.trainer.evaluate('test').loss;
    const targetVariance = variance(run.split.test.y);
    // The noise alone (std 0.03 on every value, the target included) sets a floor of about 0.001.
    console.log(`sine-rnn: test MSE ${mse.toFixed(5)}, variance of the test targets ${targetVariance.toFixed(3)} (${(targetVariance / mse).toFixed(0)}× the MSE)`);
    expect(mse).toBeLessThan(0.005);
    expect(mse).toBeLessThan(targetVariance / 50);
  });

  // The text models train one epoch here (the files say 6): enough to show the bar, in ~8 s each.
  it.each(['char-lstm.json', 'tiny-transformer.json'])('%s: after one epoch the test loss is at least 0.4 nats under the unigram baseline', async (file) => {
    const model = loadExample(file);
    const run = await createTrainingRun(model, readDatasetFile);
    const baseline = unigramBaseline(run.split);
    trainSteps(run, run.trainer.stepsPerEpoch);
    const test = run.trainer.evaluate('test');
    console.log(`${file}: test loss ${test.loss.toFixed(3)} after 1 epoch; unigram baseline ${baseline.toFixed(3)}; token accuracy ${(test.accuracy! * 100).toFixed(1)}%`);
    expect(test.loss).toBeLessThan(baseline - 0.4);
  }, 120_000);
});

// The long-memory templates (memory-rnn.json, memory-lstm.json) are trained in
// app/training/memoryTemplates.test.ts, where their accuracy and what the gradient per time step
// view says of them are checked together.
