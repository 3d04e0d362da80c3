import { describe, expect, it } from 'vitest';
import { parseModelObject, type ModelDefinition } from '../model';
import { readDatasetFile } from '../testing/files';
import { createTrainingRun } from './run';

type Layer = { type: string; params?: Record<string, unknown> };

/** A model file: input → layers → output in a chain, on `dataset` with `datasetOptions`. */
function model(dataset: string, datasetOptions: Record<string, number>, layers: Layer[], training: Record<string, unknown> = {}): ModelDefinition {
  const all: Layer[] = [{ type: 'input' }, ...layers, { type: 'output' }];
  const result = parseModelObject({
    format: 'gradflow.model',
    version: 1,
    nodes: all.map((l, i) => ({ id: `n${i}`, type: l.type, params: l.params ?? {} })),
    edges: all.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i}`, target: `n${i + 1}` })),
    training: { dataset, datasetOptions, optimizer: 'adam', learningRate: 0.01, batchSize: 32, seed: 42, ...training },
  });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.model;
}

describe('sequence datasets train end to end from a model file', () => {
  it('Moby Dick: seqLength reaches the dataset, the split is by position, and a per-step Dense model learns', async () => {
    // Each token id read as one number per step; a small MLP per step maps it to next-character scores.
    const m = model('moby_dick', { seqLength: 16 }, [
      { type: 'reshape', params: { targetShape: [16, 1] } },
      { type: 'dense', params: { units: 32 } },
      { type: 'relu' },
      { type: 'dense', params: { units: 73 } },
    ]);
    const { split, plan, trainer } = await createTrainingRun(m, readDatasetFile);
    const windows = Math.floor(101_048 / 16);
    expect(split.info).toMatchObject({ task: 'sequence', inputShape: [16], targetShape: [16], numClasses: 73, count: windows });
    expect(split.test.count).toBe(Math.round(windows * 0.2));
    expect(split.train.count).toBe(windows - split.test.count - 1);
    expect(plan.prediction.shape.slice(1)).toEqual([16, 73]);
    expect(plan.lossKind).toBe('cross_entropy');

    // Raw ids (0..72) make large untrained scores: the loss starts far above ln 73.
    const before = trainer.evaluate('test', 512);
    expect(before.loss).toBeGreaterThan(Math.log(73));
    for (let s = 0; s < 200; s++) expect(trainer.trainStep().divergence).toBeUndefined();
    const after = trainer.evaluate('test', 512);
    expect(after.loss).toBeLessThan(before.loss / 4);
    // Token accuracy over every step: well above a 1-in-73 guess (always a space would be right 18% of the time).
    expect(after.accuracy!).toBeGreaterThan(0.1);
  });

  it('Sine forecast: a linear read-out of the flattened window forecasts down to the noise', async () => {
    const m = model('sine_forecast', { seqLength: 10, count: 600, noise: 0.1 }, [{ type: 'flatten' }, { type: 'dense', params: { units: 1 } }], { learningRate: 0.05 });
    const { split, plan, trainer } = await createTrainingRun(m, readDatasetFile);
    expect(split.info.inputShape).toEqual([10, 1]);
    expect(plan.lossKind).toBe('mse');
    const before = trainer.evaluate('test');
    for (let s = 0; s < trainer.stepsPerEpoch * 40; s++) trainer.trainStep();
    const after = trainer.evaluate('test');
    expect(after.loss).toBeLessThan(before.loss / 5);
    // Noise std 0.03 on every value: the floor is about 0.03² on the target plus what the noisy inputs carry.
    expect(after.loss).toBeLessThan(0.02);
  });

  it('Recall: distance sets the length; at distance 10 a simple RNN stays at chance where an LSTM learns', async () => {
    const accuracy = async (cell: string, epochs: number): Promise<number> => {
      const m = model('recall', { distance: 10 }, [{ type: 'embedding', params: { outputDim: 8 } }, { type: cell, params: { units: 32 } }, { type: 'dense', params: { units: 4 } }]);
      const { split, trainer } = await createTrainingRun(m, readDatasetFile);
      expect(split.info).toMatchObject({ inputShape: [22], numClasses: 4, vocabSize: 5 });
      for (let s = 0; s < trainer.stepsPerEpoch * epochs; s++) trainer.trainStep();
      return trainer.evaluate('test').accuracy!;
    };
    expect(await accuracy('lstm', 20)).toBeGreaterThan(0.9);
    expect(await accuracy('rnn', 20)).toBeLessThan(0.4);
  }, 60_000);

  it('refuses dataset options out of bounds with a message that names the option', async () => {
    const m = model('recall', {}, [{ type: 'dense', params: { units: 4 } }]);
    m.training.datasetOptions = { distance: 0 };
    await expect(createTrainingRun(m, readDatasetFile)).rejects.toThrow('recall: distance must be a whole number from 1 to 100 (got 0)');
  });
});
