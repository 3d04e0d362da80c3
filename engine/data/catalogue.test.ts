import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, describeBuiltinDataset, findBuiltinDataset, loadBuiltinDataset } from './catalogue';
import { DatasetError } from './types';
import { readDatasetFile as readPublicDataset } from '../testing/files';

const IDS = [
  'spiral',
  'xor',
  'circles',
  'gaussian',
  'sine',
  'peaks',
  'sine_forecast',
  'recall',
  'iris',
  'penguins',
  'wine',
  'breast_cancer',
  'mnist',
  'fashion_mnist',
  'digits',
  'moby_dick',
];

/** What each built-in dataset must load as (targets are class ids, shape [], unless stated). */
const EXPECTED: Record<string, { count: number; inputShape: number[]; numClasses?: number; targetShape?: number[]; vocabSize?: number }> = {
  spiral: { count: 600, inputShape: [2], numClasses: 2 },
  xor: { count: 400, inputShape: [2], numClasses: 2 },
  circles: { count: 400, inputShape: [2], numClasses: 2 },
  gaussian: { count: 450, inputShape: [2], numClasses: 3 },
  sine: { count: 200, inputShape: [1], targetShape: [1] },
  peaks: { count: 500, inputShape: [2], targetShape: [1] },
  sine_forecast: { count: 1000, inputShape: [20, 1], targetShape: [1] },
  recall: { count: 1000, inputShape: [22], numClasses: 4, vocabSize: 5 },
  iris: { count: 150, inputShape: [4], numClasses: 3 },
  penguins: { count: 333, inputShape: [8], numClasses: 3 },
  wine: { count: 178, inputShape: [13], numClasses: 3 },
  breast_cancer: { count: 569, inputShape: [30], numClasses: 2 },
  mnist: { count: 10000, inputShape: [28, 28, 1], numClasses: 10 },
  fashion_mnist: { count: 5000, inputShape: [28, 28, 1], numClasses: 10 },
  digits: { count: 1797, inputShape: [8, 8, 1], numClasses: 10 },
  // 101,049 characters: ⌊101,048 / 32⌋ windows of 32 characters (and the one after each).
  moby_dick: { count: 3157, inputShape: [32], numClasses: 73, targetShape: [32], vocabSize: 73 },
};

describe('the catalogue', () => {
  it('lists exactly the built-in ids, each once', () => {
    expect(BUILTIN_DATASETS.map((e) => e.id)).toEqual(IDS);
  });

  it('carries an attribution for every real dataset and defaults for every generated one', () => {
    for (const entry of BUILTIN_DATASETS) {
      expect(entry.name.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(0);
      if (entry.kind === 'synthetic') {
        expect(entry.defaults.count).toBeGreaterThan(0);
        if (entry.defaults.noise !== undefined) expect(entry.defaults.noise).toBeGreaterThanOrEqual(0);
      } else {
        expect(entry.attribution).toMatch(/(CC BY|CC0|MIT)/);
      }
    }
    expect(findBuiltinDataset('fashion_mnist')).toMatchObject({
      kind: 'images',
      classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    });
    expect(findBuiltinDataset('mnist')).toMatchObject({ classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], scale: 255 });
    expect(findBuiltinDataset('digits')).toMatchObject({ scale: 16 });
    expect(findBuiltinDataset('penguins')).toMatchObject({ attribution: expect.stringContaining('Gorman, Williams & Fraser (2014)') });
    expect(findBuiltinDataset('moby_dick')).toMatchObject({ kind: 'text', attribution: expect.stringContaining('Herman Melville (1851), public domain') });
    expect(findBuiltinDataset('recall')).toMatchObject({ defaults: { distance: 10, classes: 4 } });
    expect(findBuiltinDataset('recall')).not.toHaveProperty('defaults.noise');
    expect(findBuiltinDataset('sine_forecast')).toMatchObject({ defaults: { seqLength: 20 } });
  });

  it('names files that ship in public/datasets', async () => {
    for (const entry of BUILTIN_DATASETS) {
      if (entry.kind === 'synthetic') continue;
      for (const file of entry.files) expect((await readPublicDataset(file)).length).toBeGreaterThan(100);
    }
  });
});

describe('loadBuiltinDataset', () => {
  it.each(IDS)('%s loads with a file-system reader and matches its catalogue entry', async (id) => {
    const d = await loadBuiltinDataset(id, {}, readPublicDataset);
    const entry = findBuiltinDataset(id)!;
    const expected = EXPECTED[id]!;
    expect(d.info.id).toBe(id);
    expect(d.info.name).toBe(entry.name);
    expect(d.info.task).toBe(entry.task);
    expect(d.info.description).toBe(entry.description);
    expect(d.info.kind).toBe(entry.kind);
    expect(d.info.count).toBe(expected.count);
    expect(d.info.inputShape).toEqual(expected.inputShape);
    expect(d.info.numClasses).toBe(expected.numClasses);
    expect(d.info.targetShape).toEqual(expected.targetShape ?? []);
    expect(d.info.vocabSize).toBe(expected.vocabSize);
    expect(d.info.vocabulary?.length).toBe(expected.vocabSize);
    expect(d.info.standardize ?? false).toBe(entry.kind === 'table');
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    expect(d.x).toHaveLength(expected.count * size(expected.inputShape));
    expect(d.y).toHaveLength(expected.count * size(expected.targetShape ?? []));
  });

  it('passes seqLength and distance to the sequence datasets', async () => {
    const text = await loadBuiltinDataset('moby_dick', { seqLength: 64 }, readPublicDataset);
    expect(text.info).toMatchObject({ inputShape: [64], targetShape: [64], count: Math.floor(101_048 / 64) });
    const series = await loadBuiltinDataset('sine_forecast', { seqLength: 8, count: 50 }, readPublicDataset);
    expect(series.info).toMatchObject({ inputShape: [8, 1], count: 50 });
    const memory = await loadBuiltinDataset('recall', { distance: 30 }, readPublicDataset);
    expect(memory.info.inputShape).toEqual([62]);
  });

  it('refuses a window length out of bounds, naming the dataset and the option', async () => {
    await expect(loadBuiltinDataset('moby_dick', { seqLength: 1 }, readPublicDataset)).rejects.toThrow('moby_dick: seqLength must be a whole number from 2 to 256 (got 1)');
    expect(() => describeBuiltinDataset('moby_dick', { seqLength: 300 })).toThrow('moby_dick: seqLength must be a whole number from 2 to 256 (got 300)');
  });

  it('passes options to the generators', async () => {
    const d = await loadBuiltinDataset('spiral', { count: 90, classes: 3, seed: 4, noise: 0 }, readPublicDataset);
    expect(d.info.count).toBe(90);
    expect(d.info.numClasses).toBe(3);
    const again = await loadBuiltinDataset('spiral', { count: 90, classes: 3, seed: 4, noise: 0 }, readPublicDataset);
    expect(again.x).toEqual(d.x);
  });

  it('refuses an unknown id, listing the built-in ones', async () => {
    await expect(loadBuiltinDataset('cifar', {}, readPublicDataset)).rejects.toThrow(
      `There is no built-in dataset 'cifar'. The built-in datasets are: ${IDS.join(', ')}.`,
    );
  });

  it('reports a file that cannot be read, by name', async () => {
    const failing = (name: string): Promise<Uint8Array> => Promise.reject(new Error(`404 for ${name}`));
    const error = await loadBuiltinDataset('iris', {}, failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe("Could not read the dataset file 'iris.csv': 404 for iris.csv");
  });

  it('names the file in an image format error', async () => {
    const truncated = async (name: string): Promise<Uint8Array> => (await readPublicDataset(name)).subarray(0, 1000);
    await expect(loadBuiltinDataset('digits', {}, truncated)).rejects.toThrow(/^digits-8x8-images-idx3-ubyte\.gz: the gzip data is damaged or cut short/);
  });
});

describe('describeBuiltinDataset', () => {
  it.each(IDS)('%s: the description without data matches what loading the data gives', async (id) => {
    const described = describeBuiltinDataset(id);
    const { info } = await loadBuiltinDataset(id, {}, readPublicDataset);
    expect(described.inputShape).toEqual(info.inputShape);
    expect(described.targetShape).toEqual(info.targetShape);
    expect(described.numClasses).toBe(info.numClasses);
    expect(described.vocabSize).toBe(info.vocabSize);
    expect(described.windows).toEqual(info.windows);
    expect(described.count).toBe(info.count);
    expect(described.task).toBe(info.task);
  });

  it.each([2, 7, 100, 256])('moby_dick with seqLength %i: the static shape matches the file', async (seqLength) => {
    const described = describeBuiltinDataset('moby_dick', { seqLength });
    const { info } = await loadBuiltinDataset('moby_dick', { seqLength }, readPublicDataset);
    expect(described).toEqual({ ...info, vocabulary: undefined, classNames: undefined });
  });

  it('applies the generator options (spiral arms set the class count)', () => {
    expect(describeBuiltinDataset('spiral', { classes: 4 }).numClasses).toBe(4);
  });

  it.each(['spiral', 'gaussian'])('%s: the description counts the classes the generated data has', async (id) => {
    for (const classes of [undefined, 2, 3, 7]) {
      const options = classes === undefined ? {} : { classes };
      const { y } = await loadBuiltinDataset(id, options, readPublicDataset);
      const distinct = new Set(y).size;
      expect(describeBuiltinDataset(id, options).description).toMatch(new RegExp(`^${distinct} `));
      if (classes === undefined) expect(findBuiltinDataset(id)!.description).toMatch(new RegExp(`^${distinct} `));
    }
  });

  it('refuses an unknown id', () => {
    expect(() => describeBuiltinDataset('nope')).toThrow(/no built-in dataset 'nope'/);
  });
});
