import { beforeAll, describe, expect, it } from 'vitest';
import { globalAvgpool1dLayer } from './global_avgpool1d';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { buildLayer } from '../testing/layerContext';
import { allocationsOfPass } from '../testing/alloc';
import { Tape } from '../core/tape';
import type { DatasetInfo } from '../data/types';

// Tolerances: a mean over a few float32 terms; TF.js agrees to the oracle defaults, finite
// differences use the gradCheck defaults.

const info: DatasetInfo = { id: 'seq', name: 'Seq', task: 'multiclass', inputShape: [4, 3], targetShape: [], numClasses: 2, count: 10 };
const ctx = { dataset: info };

beforeAll(tfReady);

describe('global average pooling over time', () => {
  it('averages each feature over the time steps: [T, F] → [F]', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [4, 3]);
    const { out, paramElements } = buildLayer(t, globalAvgpool1dLayer, [x], {}, { dataset: info });
    expect([out.shape, out.batched, paramElements]).toEqual([[2, 3], true, 0]);
    x.value.set(Array.from({ length: 24 }, (_, i) => i));
    t.forward();
    // Sample 0: features (0, 3, 6, 9) → 4.5, (1, 4, 7, 10) → 5.5, ...; sample 1 is 12 more.
    expect(Array.from(out.value)).toEqual([4.5, 5.5, 6.5, 16.5, 17.5, 18.5]);
  });

  it('matches finite differences', () => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [4, 3], { requiresGrad: true });
        return { out: buildLayer(t, globalAvgpool1dLayer, [x], {}, { dataset: info }).out, wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(24);
  });

  it('matches TF.js (tf.mean over axis 1), forward and gradient', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [5, 3], { requiresGrad: true });
        return { out: buildLayer(t, globalAvgpool1dLayer, [x], {}, { dataset: info }).out, inputs: [x] };
      },
      tf: (x) => tf.mean(x!, 1),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [4, 3], { requiresGrad: true });
    const { out } = buildLayer(t, globalAvgpool1dLayer, [x], {}, { dataset: info });
    t.setBatch(2);
    expect(allocationsOfPass(t, out)).toBe(0);
  });

  it('infers [F] and explains other inputs', () => {
    expect(globalAvgpool1dLayer.infer([[7, 5]], {}, ctx)).toEqual([5]);
    expect(globalAvgpool1dLayer.infer([[7]], {}, ctx)).toEqual([expect.objectContaining({
      message: 'Global AvgPool 1D needs a sequence of vectors (time steps × features), but gets 7 values per sample.',
      slot: 0,
    })]);
    expect(globalAvgpool1dLayer.infer([[28, 28, 1]], {}, ctx)).toEqual([expect.objectContaining({
      fix: 'Add a Reshape to 28×28 to read its rows as 28 time steps.',
    })]);
  });
});
