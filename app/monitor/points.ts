/**
 * The data points drawn under the decision boundary. The worker holds the split, but synthetic
 * datasets are seeded and cheap, so the page rebuilds them: the same generator options, the same
 * seed and the same split as `createTrainingRun` (engine/train/run.ts), hence the same points.
 */
import { findBuiltinDataset, loadBuiltinDataset, splitDataset, type ReadDatasetFile } from '../../engine/data';
import type { SplitDataset } from '../../engine/data/types';
import type { TrainingSettings } from '../../engine/model/schema';

/** What the split depends on. */
export type SplitKey = Pick<TrainingSettings, 'dataset' | 'datasetOptions' | 'testFraction' | 'seed'>;

/** Synthetic datasets need no files; anything that asks for one is not rebuilt here. */
const noFiles: ReadDatasetFile = (name) => Promise.reject(new Error(`the page does not load dataset files (${name})`));

/** The split exactly as the worker makes it, or null for datasets that come from files. */
export async function rebuildSplit(key: SplitKey): Promise<SplitDataset | null> {
  if (findBuiltinDataset(key.dataset)?.kind !== 'synthetic') return null;
  // As createTrainingRun: the run's seed seeds both the generator and the shuffle.
  const data = await loadBuiltinDataset(key.dataset, { ...key.datasetOptions, seed: key.seed }, noFiles);
  return splitDataset(data, { testFraction: key.testFraction, seed: key.seed });
}

export function splitKeyString(key: SplitKey): string {
  const options = key.datasetOptions ? Object.entries(key.datasetOptions).sort(([a], [b]) => a.localeCompare(b)) : [];
  return JSON.stringify([key.dataset, options, key.testFraction, key.seed]);
}

const cache = new Map<string, Promise<SplitDataset | null>>();
const CACHE_SIZE = 4;

/** `rebuildSplit`, memoized on the key (a few recent keys, so switching back is instant). */
export function cachedSplit(key: SplitKey): Promise<SplitDataset | null> {
  const id = splitKeyString(key);
  let hit = cache.get(id);
  if (!hit) {
    hit = rebuildSplit(key).catch(() => null);
    cache.set(id, hit);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return hit;
}
