import { describe, expect, it } from 'vitest';
import type { ModelDefinition } from '../../engine/model';
import { parseModelObject } from '../../engine/model';
import { createTrainingRun } from '../../engine/train/run';
import { TEMPLATES } from '../templates/templates';
import { cachedSplit, rebuildSplit, splitKeyString } from './points';

const noFiles = () => Promise.reject(new Error('no files in this test'));

/** A model the worker would load: one dense layer from the input to `units` outputs. */
function denseModel(training: Record<string, unknown>, units: number): ModelDefinition {
  const parsed = parseModelObject({
    format: 'gradflow.model',
    version: 1,
    nodes: [
      { id: 'in', type: 'input', params: {} },
      { id: 'd', type: 'dense', params: { units } },
      { id: 'out', type: 'output', params: {} },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'd', targetSlot: 0 },
      { id: 'e2', source: 'd', target: 'out', targetSlot: 0 },
    ],
    training,
  });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.model;
}

/** The split built both ways: by the worker's own path, and by the page's. */
async function bothWays(model: ModelDefinition) {
  const worker = (await createTrainingRun(model, noFiles)).split;
  const page = await rebuildSplit(model.training);
  if (!page) throw new Error('the page did not rebuild the split');
  return { worker, page };
}

describe('the page rebuilds the worker’s split', () => {
  it('for the spiral template: same counts, same points, same order', async () => {
    const model = TEMPLATES.find((t) => t.id === 'spiral-mlp')!.model;
    const { worker, page } = await bothWays(model);
    expect(page.train.count).toBe(worker.train.count);
    expect(page.test.count).toBe(worker.test.count);
    expect(page.train.count + page.test.count).toBe(600);
    expect(Array.from(page.train.x.subarray(0, 10))).toEqual(Array.from(worker.train.x.subarray(0, 10)));
    expect(Array.from(page.test.x.subarray(0, 10))).toEqual(Array.from(worker.test.x.subarray(0, 10)));
    expect(page.train.x).toEqual(worker.train.x);
    expect(page.test.y).toEqual(worker.test.y);
    expect(page.standardization).toEqual(worker.standardization);
  });

  it.each([
    ['xor', { noise: 0.3, count: 300 }, 0.25, 7, 1],
    ['gaussian', { classes: 4 }, 0.3, 3, 4],
    ['peaks', undefined, 0.2, 42, 1],
    ['sine', { count: 120 }, 0.1, 9, 1],
  ] as const)('for %s with its options, test fraction and seed', async (dataset, datasetOptions, testFraction, seed, units) => {
    const model = denseModel({ dataset, ...(datasetOptions ? { datasetOptions } : {}), testFraction, seed }, units);
    const { worker, page } = await bothWays(model);
    expect([page.train.count, page.test.count]).toEqual([worker.train.count, worker.test.count]);
    expect(page.train.x).toEqual(worker.train.x);
    expect(page.train.y).toEqual(worker.train.y);
    expect(page.test.x).toEqual(worker.test.x);
    expect(page.test.y).toEqual(worker.test.y);
  });

  it('another seed gives other points', async () => {
    const a = await rebuildSplit({ dataset: 'spiral', testFraction: 0.2, seed: 1 });
    const b = await rebuildSplit({ dataset: 'spiral', testFraction: 0.2, seed: 2 });
    expect(a!.train.x).not.toEqual(b!.train.x);
  });

  it('leaves file-backed datasets to the worker', async () => {
    expect(await rebuildSplit({ dataset: 'iris', testFraction: 0.2, seed: 1 })).toBeNull();
    expect(await rebuildSplit({ dataset: 'mnist', testFraction: 0.2, seed: 1 })).toBeNull();
  });

  it('memoizes on the dataset, its options (in any key order), the test fraction and the seed', async () => {
    const key = { dataset: 'circles', datasetOptions: { noise: 0.1, count: 200 }, testFraction: 0.2, seed: 5 };
    const same = { dataset: 'circles', datasetOptions: { count: 200, noise: 0.1 }, testFraction: 0.2, seed: 5 };
    expect(splitKeyString(key)).toBe(splitKeyString(same));
    expect(cachedSplit(key)).toBe(cachedSplit(same));
    expect(await cachedSplit(key)).toBe(await cachedSplit(same));
    expect(cachedSplit({ ...key, seed: 6 })).not.toBe(cachedSplit(key));
    expect(cachedSplit({ ...key, testFraction: 0.3 })).not.toBe(cachedSplit(key));
  });
});
