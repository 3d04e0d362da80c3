import { beforeAll, describe, expect, it } from 'vitest';
import { lastStepLayer } from './last_step';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { buildLayer } from '../testing/layerContext';
import { allocationsOfPass } from '../testing/alloc';
import { Tape } from '../core/tape';
import type { DatasetInfo } from '../data/types';

// Tolerances: the layer copies values, so TF.js agrees exactly within the oracle defaults;
// finite differences use the gradCheck defaults.

const info: DatasetInfo = { id: 'seq', name: 'Seq', task: 'multiclass', inputShape: [4, 3], targetShape: [], numClasses: 2, count: 10 };
const ctx = { dataset: info };

beforeAll(tfReady);

describe('last step', () => {
  it('keeps the last time step: [T, F] → [F]', () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [4, 3]);
    const { out, paramElements } = buildLayer(t, lastStepLayer, [x], {}, { dataset: info });
    expect([out.shape, out.batched, paramElements]).toEqual([[2, 3], true, 0]);
    x.value.set(Array.from({ length: 24 }, (_, i) => i));
    t.forward();
    expect(Array.from(out.value)).toEqual([9, 10, 11, 21, 22, 23]);
  });

  it('matches finite differences: the gradient reaches only the last step', () => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [4, 3], { requiresGrad: true });
        return { out: buildLayer(t, lastStepLayer, [x], {}, { dataset: info }).out, wrt: [x] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(24);
  });

  it('matches TF.js (a slice of the last step), forward and gradient', () => {
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', [5, 3], { requiresGrad: true });
        return { out: buildLayer(t, lastStepLayer, [x], {}, { dataset: info }).out, inputs: [x] };
      },
      tf: (x) => tf.squeeze(tf.slice(x!, [0, 4, 0], [-1, 1, -1]), [1]),
      maxBatch: 3,
      batch: 2,
    });
    assertMatchesTf(r);
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const x = t.input('x', [4, 3], { requiresGrad: true });
    const { out } = buildLayer(t, lastStepLayer, [x], {}, { dataset: info });
    t.setBatch(2);
    expect(allocationsOfPass(t, out)).toBe(0);
  });

  it('infers [F] and explains other inputs', () => {
    expect(lastStepLayer.infer([[7, 5]], {}, ctx)).toEqual([5]);
    expect(lastStepLayer.infer([[7]], {}, ctx)).toEqual([{
      message: 'Last Step needs a sequence of vectors (time steps × features), but gets 7 values per sample.',
      fix: 'If they are token ids, add an Embedding before it; otherwise add a Reshape to 7×1 (7 time steps of one feature).',
      slot: 0,
    }]);
    expect(lastStepLayer.infer([[4, 4, 3]], {}, ctx)).toEqual([{
      message: 'Last Step needs a sequence of vectors (time steps × features), but gets an image-shaped 4×4×3 tensor.',
      fix: 'Add a Reshape to 4×12 to read its rows as 4 time steps.',
      slot: 0,
    }]);
  });
});
