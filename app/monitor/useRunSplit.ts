import { useEffect, useState } from 'react';
import type { SplitDataset } from '../../engine/data/types';
import type { LoadInfo } from '../../worker/protocol';
import { cachedSplit, type SplitKey } from './points';
import { useMonitorRun } from './run';

/**
 * The loaded run's train/test split, rebuilt on the page (null while it builds, and for datasets
 * from files). It is trusted only if it has the counts the worker reported.
 */
export function useRunSplit(info: LoadInfo): SplitDataset | null {
  const key = useMonitorRun((s) => s.splitKey);
  const [built, setBuilt] = useState<{ key: SplitKey; split: SplitDataset | null } | null>(null);

  useEffect(() => {
    if (!key) return;
    let live = true;
    void cachedSplit(key).then((split) => {
      if (live) setBuilt({ key, split });
    });
    return () => {
      live = false;
    };
  }, [key]);

  const split = built?.key === key ? built.split : null;
  const matches = split && split.info.id === info.dataset.id && split.train.count === info.trainCount && split.test.count === info.testCount;
  return matches ? split : null;
}
