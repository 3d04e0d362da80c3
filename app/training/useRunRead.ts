/**
 * A read from the loaded run about one node (its attention weights, its filters and feature maps)
 * for a chosen sample, read again every READ_EVERY training steps. Only a read of the run loaded
 * now is returned: after a graph or data change, an earlier run's answer is never shown.
 */
import { useEffect, useState } from 'react';
import type { LoadInfo } from '../../worker/protocol';
import { useTraining } from './store';

export const READ_EVERY = 50;

export function useRunRead<T>(nodeId: string, sample: number, read: (nodeId: string, sample: number) => Promise<T | { error: string }>): T | { error: string } | null {
  const [got, setGot] = useState<{ run: LoadInfo; value: T | { error: string } } | null>(null);
  const stepBucket = useTraining((s) => Math.floor((s.snapshot?.step ?? 0) / READ_EVERY));
  const run = useTraining((s) => (s.info !== null && s.info.nodeIds.includes(nodeId) ? s.info : null));
  useEffect(() => {
    if (!run) return;
    let live = true;
    void read(nodeId, sample).then((value) => {
      if (live) setGot({ run, value });
    });
    return () => {
      live = false;
    };
    // `read` is a command of the one controller (stable in practice); a new read is due on a new node, sample, run or step bucket.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodeId, sample, stepBucket, run]);
  return run && got?.run === run ? got.value : null;
}
