import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile';
import { describeBuiltinDataset } from '../data';
import { unigramBaseline } from '../data/text';
import type { ModelDefinition } from '../model';
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

interface RecallRun {
  accuracy: number;
  /** Per window: mean gradient RMS at the last time step over the mean at the first, on the edge into the recurrent layer. */
  ratios: number[];
}

/**
 * Trains `steps` steps and, for each window (a, b] of training steps, averages the per-time-step
 * gradient RMS (Plan.edgeTimeRms) of the Embedding → recurrent edge at its first and last time step.
 */
async function trainRecall(model: ModelDefinition, steps: number, windows: [number, number][]): Promise<RecallRun> {
  const run = await createTrainingRun(model, readDatasetFile);
  const { plan } = run;
  const cell = model.nodes.find((n) => n.type === 'rnn' || n.type === 'lstm')!;
  const edge = plan.edges.find((e) => e.target === cell.id)!;
  expect(model.nodes.find((n) => n.id === edge.source)!.type).toBe('embedding');
  const timeSteps = edge.timeSteps;
  expect(timeSteps).toBe(2 * model.training.datasetOptions!.distance! + 2);
  const rms = new Float32Array(plan.timeStatsLength);
  const first = windows.map(() => 0);
  const last = windows.map(() => 0);
  for (let s = 1; s <= steps; s++) {
    trainSteps(run, 1);
    plan.edgeTimeRms(rms);
    windows.forEach(([a, b], w) => {
      if (s > a && s <= b) {
        first[w]! += rms[edge.timeOffset]!;
        last[w]! += rms[edge.timeOffset + timeSteps - 1]!;
      }
    });
  }
  return { accuracy: run.trainer.evaluate('test').accuracy!, ratios: windows.map((_, w) => last[w]! / first[w]!) };
}

describe('long memory: SimpleRNN against LSTM on recall', () => {
  // The templates' distance, 15: the letter to name is 15 to 30 steps back (32 steps per sequence).
  // 500 steps here (20 epochs; the files say 30, ~750 steps).
  it('at distance 15 the LSTM learns the task and the SimpleRNN stays at chance; the LSTM’s gradient opens up to the early steps as it learns', async () => {
    const windows: [number, number][] = [
      [0, 20],
      [300, 500],
    ];
    const rnn = await trainRecall(loadExample('memory-rnn.json'), 500, windows);
    const lstm = await trainRecall(loadExample('memory-lstm.json'), 500, windows);
    const show = (r: RecallRun) => `accuracy ${(r.accuracy * 100).toFixed(1)}%, last/first-step gradient RMS ${r.ratios.map((x, i) => `${x.toExponential(1)} over steps ${windows[i]![0] + 1}–${windows[i]![1]}`).join(', ')}`;
    console.log(`recall, distance 15: SimpleRNN ${show(rnn)}; LSTM ${show(lstm)}`);

    expect(lstm.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(rnn.accuracy).toBeLessThanOrEqual(0.4); // 4 letters: chance is 25%
    // At the start the LSTM's forget gates sit near σ(1) ≈ 0.73, so its gradient fades over the
    // 31 steps back to the first (seen: ~6e2×, and 5e2–7e2× for seeds 1–3), while the SimpleRNN,
    // whose recurrent weights start orthogonal and whose state is still small, passes it on almost
    // undimmed (seen ~0.3×; 0.8–2× for seeds 1–3).
    expect(lstm.ratios[0]).toBeGreaterThanOrEqual(100);
    expect(rnn.ratios[0]).toBeLessThanOrEqual(10);
    expect(rnn.ratios[0]).toBeGreaterThanOrEqual(0.1);
    // Once it has learned, the LSTM's gradient reaches the first step about as strongly as the last.
    expect(lstm.ratios[1]).toBeLessThanOrEqual(lstm.ratios[0]! / 100);
    // The SimpleRNN's ratio after step 300 is printed, not bounded: over seeds 42 and 1–3 and windows
    // up to step 1,000 it swings from under 1 to over 10⁹ as Adam pushes its state in and out of
    // saturation, so at this distance there is no honest bound on it.
  }, 120_000);

  // Where a ≥ 100× fade of a SimpleRNN's gradient does hold: its state saturated (64 units, Adam
  // at 0.03) over 52 steps (distance 25); seen 6e32×, and 3e10–2e19× for seeds 1–3. An LSTM did not
  // learn distance 20 or 25 in any setting tried (up to 4,000 steps), so the templates stay at 15.
  it('a saturated SimpleRNN (distance 25, 64 units, Adam 0.03): the gradient at the first step is at least 100× under the last', async () => {
    const model = loadExample('memory-rnn.json');
    model.training.datasetOptions = { ...model.training.datasetOptions, distance: 25 };
    model.training.learningRate = 0.03;
    const cell = model.nodes.find((n) => n.type === 'rnn')!;
    cell.params = { ...cell.params, units: 64 };
    const { ratios, accuracy } = await trainRecall(model, 300, [[100, 300]]);
    console.log(`saturated SimpleRNN, distance 25: last/first-step gradient RMS ${ratios[0]!.toExponential(1)} over steps 101–300; accuracy ${(accuracy * 100).toFixed(1)}%`);
    expect(ratios[0]).toBeGreaterThanOrEqual(100);
  }, 120_000);
});
