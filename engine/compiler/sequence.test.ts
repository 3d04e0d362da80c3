import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { buildPlan } from './plan';
import { chain, spiralInfo } from './fixtures';
import type { GraphSpec } from './types';
import type { DatasetInfo } from '../data/types';
import { Adam } from '../optim/adam';
import { Rng } from '../core/rng';
import { ATTENTION_WEIGHTS } from '../layers/attention';

const T = 8;
const V = 5;
/** A next-token dataset: [T] ids in, the [T] ids that follow out, V tokens. */
const textInfo: DatasetInfo = {
  id: 'tiny-text', name: 'Tiny text', task: 'sequence', inputShape: [T], targetShape: [T],
  numClasses: V, classNames: ['a', 'b', 'c', 'd', 'e'], vocabSize: V, vocabulary: ['a', 'b', 'c', 'd', 'e'], count: 100,
};
/** Whole sequences classified into 3 classes from their tokens. */
const sentimentInfo: DatasetInfo = { id: 'tokens-cls', name: 'Token classes', task: 'multiclass', inputShape: [T], targetShape: [], numClasses: 3, vocabSize: V, count: 100 };

/**
 * One Transformer block for next-token prediction, in the order of issue 8:
 * Embedding → PositionalEncoding → Attention → Add(residual) → LayerNorm → Dense → ReLU → Dense
 * → Add(residual) → LayerNorm → per-step Dense to the vocabulary → Output.
 */
function transformerBlock(dim: number, attention: Record<string, unknown> = {}): GraphSpec {
  const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, params });
  const edge = (source: string, target: string, targetSlot = 0) => ({ id: `${source}-${target}`, source, target, targetSlot });
  return {
    nodes: [
      node('in', 'input'),
      node('emb', 'embedding', { outputDim: dim }),
      node('pos', 'positional_encoding'),
      node('att', 'attention', attention),
      node('add1', 'add'),
      node('ln1', 'layernorm'),
      node('ff1', 'dense', { units: 2 * dim }),
      node('relu', 'relu'),
      node('ff2', 'dense', { units: dim }),
      node('add2', 'add'),
      node('ln2', 'layernorm'),
      node('head', 'dense', { units: V }),
      node('out', 'output'),
    ],
    edges: [
      edge('in', 'emb'), edge('emb', 'pos'), edge('pos', 'att'),
      edge('pos', 'add1', 0), edge('att', 'add1', 1), edge('add1', 'ln1'),
      edge('ln1', 'ff1'), edge('ff1', 'relu'), edge('relu', 'ff2'),
      edge('ln1', 'add2', 0), edge('ff2', 'add2', 1), edge('add2', 'ln2'),
      edge('ln2', 'head'), edge('head', 'out'),
    ],
  };
}

describe('compile: sequence layers', () => {
  it('a Dense after an Embedding acts per time step: [T, units], on the node and on its edges', () => {
    const c = compile(chain({ type: 'embedding', params: { outputDim: 16 } }, { type: 'dense', params: { units: 7 } }, { type: 'dense', params: { units: V } }), textInfo);
    expect(c.issues).toEqual([]);
    expect(c.edges.get('e1')!.shape).toEqual([T]);
    expect(c.edges.get('e2')!.shape).toEqual([T, 16]);
    expect(c.nodes.get('n2')!.shape).toEqual([T, 7]);
    expect(c.edges.get('e3')!.shape).toEqual([T, 7]);
    expect(c.summary.rows.map((r) => r.params)).toEqual([0, V * 16, 16 * 7 + 7, 7 * V + V, 0]);
    expect(c.lossKind).toBe('cross_entropy');
  });

  it('builds a Transformer block with the expected shapes and Keras-like parameter counts', () => {
    const c = compile(transformerBlock(16, { numHeads: 2, keyDim: 8 }), textInfo);
    expect(c.issues).toEqual([]);
    expect(c.ok).toBe(true);
    const rows = Object.fromEntries(c.summary.rows.map((r) => [r.nodeId, [r.shape, r.params]]));
    expect(rows).toEqual({
      in: [[T], 0],
      emb: [[T, 16], V * 16],
      pos: [[T, 16], 0],
      // Keras MultiHeadAttention(num_heads=2, key_dim=8) on 16 features: 4·16·16 + 3·16 + 16.
      att: [[T, 16], 4 * 16 * 16 + 3 * 16 + 16],
      add1: [[T, 16], 0],
      ln1: [[T, 16], 32],
      ff1: [[T, 32], 16 * 32 + 32],
      relu: [[T, 32], 0],
      ff2: [[T, 16], 32 * 16 + 16],
      add2: [[T, 16], 0],
      ln2: [[T, 16], 32],
      head: [[T, V], 16 * V + V],
      out: [[T, V], 0],
    });
    for (const e of c.edges.values()) expect(e.shape, e.id).toEqual(c.nodes.get(e.source)!.shape);
    expect(c.nodes.get('att')!.caption).toBe('2×8, causal');
  });

  it('the block builds, runs, exposes [B, heads, T, T] attention weights and learns to look back', () => {
    // s = a b a b a b a b a: the token after step t (t ≥ 1) is the one at t - 1, which a model
    // that sees one step at a time cannot know (its loss stays at ln 4 ≈ 1.39); attention can.
    const graph = transformerBlock(16, { numHeads: 1, keyDim: 8 });
    const batch = 16;
    const plan = buildPlan(graph, textInfo, { maxBatch: batch, seed: 3 });
    const att = plan.nodes.find((n) => n.id === 'att')!;
    const weights = att.exposed[ATTENTION_WEIGHTS]!;
    expect([weights.batched, weights.shape]).toEqual([true, [batch, 1, T, T]]);
    expect(plan.params.reduce((s, p) => s + p.value.length, 0)).toBe(compile(graph, textInfo).summary.totalParams);

    const rng = new Rng(9);
    const fill = (): void => {
      for (let b = 0; b < batch; b++) {
        const a = rng.int(V);
        const other = (a + 1 + rng.int(V - 1)) % V;
        for (let t = 0; t < T; t++) {
          plan.input.value[b * T + t] = t % 2 === 0 ? a : other;
          plan.target.value[b * T + t] = t % 2 === 0 ? other : a;
        }
      }
    };
    const opt = new Adam(plan.params, { learningRate: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      fill();
      plan.tape.forward();
      plan.tape.backward(plan.loss);
      opt.step();
      losses.push(plan.loss.value[0]!);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[0]).toBeGreaterThan(1.3);
    // Best possible: ln 4 at step 0 only, 0 elsewhere, a mean of 0.17.
    const last = losses.slice(-10).reduce((s, l) => s + l, 0) / 10;
    expect(last).toBeLessThan(0.5);
    // Causal: no weight on later steps, for any sample of the last batch.
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) expect(weights.value[(b * T + i) * T + j]).toBe(0);
    }
  });

  it('classifies whole sequences through Global AvgPool 1D or Last Step', () => {
    for (const pool of ['global_avgpool1d', 'last_step']) {
      const graph = chain(
        { type: 'embedding', params: { outputDim: 8 } },
        { type: 'attention', params: { causal: false, numHeads: 2, keyDim: 4 } },
        { type: pool },
        { type: 'dense', params: { units: 3 } },
      );
      const c = compile(graph, sentimentInfo);
      expect(c.issues).toEqual([]);
      expect(c.summary.rows.map((r) => r.shape)).toEqual([[T], [T, 8], [T, 8], [8], [3], [3]]);
      const plan = buildPlan(graph, sentimentInfo, { maxBatch: 4, seed: 1 });
      plan.input.value.set(Array.from({ length: 4 * T }, (_, i) => i % V));
      plan.target.value.set([0, 1, 2, 0]);
      plan.tape.forward();
      plan.tape.backward(plan.loss);
      expect(Number.isFinite(plan.loss.value[0])).toBe(true);
      for (const p of plan.params) expect(p.grad.some((g) => g !== 0), `${pool}: ${p.name}`).toBe(true);
    }
  });

  it('explains an Embedding on a feature dataset, and an Attention on raw token ids', () => {
    const c = compile(chain({ type: 'embedding' }, { type: 'flatten' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    expect(c.issues.filter((i) => i.nodeId === 'n1')).toEqual([{
      severity: 'error', nodeId: 'n1',
      message: 'Embedding reads token ids, but the Spiral dataset gives feature values.',
      fix: 'Pick a text or token dataset, or remove the Embedding.',
    }]);
    const raw = compile(chain({ type: 'attention' }, { type: 'dense', params: { units: V } }), textInfo);
    expect(raw.issues).toContainEqual({
      severity: 'error', nodeId: 'n1',
      message: `Attention needs a sequence of vectors (time steps × features), but gets ${T} values per sample.`,
      fix: `If they are token ids, add an Embedding before it; otherwise add a Reshape to ${T}×1 (${T} time steps of one feature).`,
    });
    // The problem is on the edge into the Attention too.
    expect(raw.issues.some((i) => i.edgeId === 'e1')).toBe(true);
  });
});
