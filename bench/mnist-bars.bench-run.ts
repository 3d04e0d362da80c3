/**
 * npm run bench (second part): the MNIST example models train to their bars on the held-out
 * split, with the model files' own seeds and settings. Too slow for the unit tests (tens of
 * seconds each), so they live here and fail the bench run when a bar is missed.
 * Bars (issue: model definition and trainer): MLP >= 95%, CNN >= 97% test accuracy.
 */
import { expect, it } from 'vitest';
import { createTrainingRun } from '../engine/train/run';
import { loadExample, readDatasetFile } from '../engine/testing/files';

const only = process.env.BENCH_ONLY;

async function trainExample(file: string): Promise<number> {
  const model = loadExample(file);
  const { trainer, split } = await createTrainingRun(model, readDatasetFile);
  const t0 = performance.now();
  for (let epoch = 1; epoch <= model.training.epochs; epoch++) {
    for (let s = 0; s < trainer.stepsPerEpoch; s++) trainer.trainStep();
  }
  const seconds = (performance.now() - t0) / 1000;
  const test = trainer.evaluate('test');
  console.log(`${model.name}: ${(test.accuracy! * 100).toFixed(2)}% test accuracy on ${split.test.count} held-out digits after ${model.training.epochs} epochs (${seconds.toFixed(1)} s, ${Math.round((split.train.count * model.training.epochs) / seconds)} samples/s)`);
  return test.accuracy!;
}

it.runIf(!only || 'mnist'.includes(only.toLowerCase()))('MNIST MLP reaches 95% and the CNN 97% on held-out digits', async () => {
  const mlp = await trainExample('mnist-mlp.json');
  const cnn = await trainExample('mnist-cnn.json');
  expect(mlp).toBeGreaterThanOrEqual(0.95);
  expect(cnn).toBeGreaterThanOrEqual(0.97);
});
