import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingLayer } from './embedding';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { buildLayer } from '../testing/layerContext';
import { allocationsOfPass } from '../testing/alloc';
import { EngineError } from '../core/errors';
import type { Rng } from '../core/rng';
import { Tape, type Var } from '../core/tape';
import type { DatasetInfo } from '../data/types';

// Tolerances: an embedding copies table rows, so TF.js agrees to the oracle defaults (rtol 1e-4,
// atol 1e-5); finite differences use the gradCheck defaults.

const VOCAB = 6;
const tokens: DatasetInfo = { id: 'chars', name: 'Tiny Shakespeare', task: 'sequence', inputShape: [5], targetShape: [5], numClasses: VOCAB, vocabSize: VOCAB, count: 10 };
const spiral: DatasetInfo = { id: 'spiral', name: 'Spiral', task: 'multiclass', inputShape: [2], targetShape: [], numClasses: 3, count: 300 };
const ctx = { dataset: tokens };

/** Whole ids in the vocabulary (repeats are common, so gradients accumulate) for x; uniform weights otherwise. */
const fillIds = (v: Var, rng: Rng): void => {
  for (let i = 0; i < v.value.length; i++) v.value[i] = v.name === 'ids' ? rng.int(VOCAB) : rng.range(-1, 1);
};

beforeAll(tfReady);

describe('embedding layer', () => {
  it('matches finite differences for its table', () => {
    const r = gradCheck({
      build: (t) => {
        const ids = t.input('ids', [5]);
        const { out, params } = buildLayer(t, embeddingLayer, [ids], { outputDim: 3 }, { dataset: tokens });
        return { out, wrt: [...params.values()] };
      },
      maxBatch: 3,
      batch: 2,
      fill: fillIds,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(VOCAB * 3);
  });

  it('matches tf.gather on the same table, forward and gradient', () => {
    const r = compareWithTf({
      build: (t) => {
        const ids = t.input('ids', [5]);
        const { out, params } = buildLayer(t, embeddingLayer, [ids], { outputDim: 4 }, { dataset: tokens });
        return { out, inputs: [params.get('embeddings')!, ids] };
      },
      tf: (table, ids) => tf.gather(table!, tf.cast(ids!, 'int32')),
      maxBatch: 3,
      batch: 2,
      fill: fillIds,
      noGrad: [1],
    });
    assertMatchesTf(r);
  });

  it('gives each time step the table row of its id: [T] → [T, outputDim]', () => {
    const t = new Tape({ maxBatch: 2 });
    const ids = t.input('ids', [5]);
    const { out, params, paramElements } = buildLayer(t, embeddingLayer, [ids], { outputDim: 3 }, { dataset: tokens });
    const table = params.get('embeddings')!;
    expect([table.shape, out.shape, out.batched]).toEqual([[VOCAB, 3], [2, 5, 3], true]);
    expect(paramElements).toBe(embeddingLayer.paramCount!([[5]], { outputDim: 3 }, ctx));
    // Keras's initializer: uniform in ±0.05.
    expect(table.value.every((w) => Math.abs(w) <= 0.05)).toBe(true);
    expect(new Set(table.value).size).toBe(VOCAB * 3);
    ids.value.set([0, 5, 2, 2, 1, 3, 3, 4, 0, 5]);
    t.forward();
    for (let i = 0; i < 10; i++) {
      expect(Array.from(out.value.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(table.value.subarray(3 * ids.value[i]!, 3 * ids.value[i]! + 3)));
    }
  });

  it('stops with an error naming the node and the vocabulary when an id is out of range', () => {
    const t = new Tape({ maxBatch: 1 });
    const ids = t.input('ids', [5]);
    buildLayer(t, embeddingLayer, [ids], {}, { dataset: tokens, nodeId: 'embedding_1' });
    ids.value.set([0, 1, 2, 3, 5]);
    expect(() => t.forward()).not.toThrow();
    for (const bad of [6, -1, 1.5, NaN]) {
      ids.value[4] = bad;
      expect(() => t.forward()).toThrow(EngineError);
      expect(() => t.forward()).toThrow(`gather in embedding_1: id ${bad} is outside the vocabulary of size 6 (ids 0..5)`);
    }
  });

  it('allocates nothing when run', () => {
    const t = new Tape({ maxBatch: 3 });
    const ids = t.input('ids', [5]);
    const { out } = buildLayer(t, embeddingLayer, [ids], {}, { dataset: tokens });
    t.setBatch(2);
    expect(allocationsOfPass(t, out)).toBe(0);
  });

  it('reads its vocabulary from the dataset, and says what to do when there is none', () => {
    const p = { outputDim: 32 };
    expect(embeddingLayer.infer([[5]], p, ctx)).toEqual([5, 32]);
    expect(embeddingLayer.paramCount!([[5]], p, ctx)).toBe(VOCAB * 32);
    expect(embeddingLayer.infer([[2]], p, { dataset: spiral })).toEqual([{
      message: 'Embedding reads token ids, but the Spiral dataset gives feature values.',
      fix: 'Pick a text or token dataset, or remove the Embedding.',
    }]);
    expect(embeddingLayer.paramCount!([[2]], p, { dataset: spiral })).toBe(0);
    expect(embeddingLayer.infer([[5, 8]], p, ctx)).toEqual([{
      message: 'Embedding reads one token id per time step (a list of ids per sample), but gets 5×8.',
      fix: 'Connect the Input (the token ids) straight into the Embedding.',
      slot: 0,
    }]);
    expect(embeddingLayer.infer([[]], p, ctx)).toEqual([expect.objectContaining({ message: expect.stringContaining('but gets a scalar') })]);
    expect(embeddingLayer.caption!(p)).toBe('32');
    expect(embeddingLayer.params.outputDim!.default).toBe(32);
  });
});
