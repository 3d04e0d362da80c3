import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan, CompileFailed, EDGE_STAT, EDGE_STATS, NODE_STATS, type Plan } from './plan';
import { branched, chain, spiralInfo } from './fixtures';
import { Rng } from '../core/rng';
import { mismatch, tf, tfReady } from '../testing/oracle';

beforeAll(tfReady);

function fillBatch(plan: Plan, seed = 3): void {
  const rng = new Rng(seed);
  for (let i = 0; i < plan.input.size; i++) plan.input.value[i] = rng.range(-1, 1);
  for (let i = 0; i < plan.tape.batch; i++) plan.target.value[i] = rng.int(3);
}

function run(plan: Plan): void {
  plan.tape.forward();
  plan.tape.backward(plan.loss);
}

const edge = (plan: Plan, id: string) => plan.edges.find((e) => e.id === id)!.tensor!;
const param = (plan: Plan, name: string) => plan.params.find((p) => p.name === name)!;

describe('buildPlan', () => {
  it('gives each edge of a fan-out its own gradient, and they sum to the gradient of the output they share', () => {
    const plan = buildPlan(branched(), spiralInfo, { maxBatch: 6, seed: 1 });
    plan.tape.setBatch(5);
    fillBatch(plan);
    run(plan);
    const [a, b, skip] = ['e_ra', 'e_rb', 'e_skip'].map((id) => edge(plan, id));
    const relu = plan.nodes.find((n) => n.id === 'r1')!.output!;
    const n = relu.size;
    for (let i = 0; i < n; i++) expect(a!.grad[i]! + b!.grad[i]! + skip!.grad[i]!).toBeCloseTo(relu.grad[i]!, 6);
    // The three branches really differ (the skip edge sees the raw loss-side gradient).
    expect(mismatch(a!.grad.subarray(0, n), skip!.grad.subarray(0, n), 1e-3, 1e-7)).not.toBeNull();
    // Edge tensors share values with their source.
    expect(a!.value).toBe(relu.value);
  });

  it('matches TF.js on a branched model: loss, every parameter gradient and every edge of the fan-out', () => {
    const plan = buildPlan(branched(), spiralInfo, { maxBatch: 4, seed: 2 });
    fillBatch(plan, 8);
    run(plan);
    const P = (name: string) => tf.tensor(param(plan, name).value, param(plan, name).shape as number[]);
    const x = tf.tensor(plan.input.value, plan.input.currentShape());
    const y = tf.oneHot(tf.tensor1d(plan.target.value, 'int32'), 3);
    const names = ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias', 'dense_3/kernel', 'dense_3/bias', 'dense_4/kernel', 'dense_4/bias'];
    const weights = names.map(P);
    const [w1, b1, wa, ba, wb, bb, wh, bh] = weights as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const head = (ra: tf.Tensor, rb: tf.Tensor, rs: tf.Tensor, ws: tf.Tensor[]) => {
      const [, , wa2, ba2, wb2, bb2, wh2, bh2] = ws as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const s = tf.add(tf.add(tf.tanh(tf.add(tf.matMul(ra, wa2), ba2)), tf.add(tf.matMul(rb, wb2), bb2)), rs);
      return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(s, wh2), bh2));
    };
    const full = (...ws: tf.Tensor[]) => {
      const r = tf.relu(tf.add(tf.matMul(x, ws[0]!), ws[1]!));
      return head(r, r, r, ws);
    };
    const loss = full(...weights).dataSync()[0]!;
    expect(Math.abs(plan.loss.value[0]! - loss)).toBeLessThan(1e-5);
    const grads = tf.grads(full)(weights);
    names.forEach((name, i) => expect(mismatch(param(plan, name).grad, grads[i]!.dataSync(), 1e-3, 1e-6), name).toBeNull());
    // Per-edge: the gradient with respect to each use of the shared ReLU output separately.
    const r = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const edgeGrads = tf.grads((ra: tf.Tensor, rb: tf.Tensor, rs: tf.Tensor) => head(ra, rb, rs, [w1, b1, wa, ba, wb, bb, wh, bh]))([tf.clone(r), tf.clone(r), tf.clone(r)]);
    ['e_ra', 'e_rb', 'e_skip'].forEach((id, i) => expect(mismatch(edge(plan, id).grad, edgeGrads[i]!.dataSync(), 1e-3, 1e-6), id).toBeNull());
  });

  it('packs edge and node statistics in a fixed order without allocating', async () => {
    const { countAllocations } = await import('../testing/alloc');
    const plan = buildPlan(chain({ type: 'dense', params: { units: 8 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo, { maxBatch: 8, seed: 1 });
    fillBatch(plan);
    run(plan);
    const edges = new Float32Array(plan.edges.length * EDGE_STATS);
    const nodes = new Float32Array(plan.nodes.length * NODE_STATS);
    const updates = new Float32Array(plan.params.length).fill(0.01);
    expect(countAllocations(() => {
      plan.edgeStats(edges);
      plan.nodeStats(nodes, updates);
    })).toBe(0);
    const relu = plan.nodes.find((n) => n.type === 'relu')!.output!;
    const reluOut = plan.edges.findIndex((e) => e.source === 'n2');
    const t = plan.edges[reluOut]!.tensor!;
    const rms = Math.sqrt(Array.from(t.grad.subarray(0, t.size)).reduce((s, g) => s + g * g, 0) / t.size);
    expect(edges[reluOut * EDGE_STATS]).toBeCloseTo(rms, 6);
    const zeros = Array.from(relu.value.subarray(0, relu.size)).filter((v) => v === 0).length / relu.size;
    expect(edges[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBeCloseTo(zeros, 6);
    const denseIdx = plan.nodes.findIndex((n) => n.id === 'n1');
    const w = plan.nodes[denseIdx]!.params;
    const norm = Math.sqrt(w.reduce((s, p) => s + p.value.reduce((a, v) => a + v * v, 0), 0));
    expect(nodes[denseIdx * NODE_STATS]).toBeCloseTo(norm, 4);
    // The update-to-weight ratio reads this node's own entries of the optimizer's per-parameter norms.
    const mine = w.map((p) => plan.params.indexOf(p));
    const own = new Float32Array(plan.params.length);
    mine.forEach((k) => (own[k] = 0.5));
    plan.nodeStats(nodes, own);
    expect(nodes[denseIdx * NODE_STATS + 2]).toBeCloseTo(Math.sqrt(0.5 * 0.5 * mine.length) / norm, 5);
    const second = plan.nodes.findIndex((n) => n.id === 'n3');
    expect(nodes[second * NODE_STATS + 2]).toBe(0);
    expect(Number.isNaN(nodes[plan.nodes.findIndex((n) => n.type === 'relu') * NODE_STATS]!)).toBe(true);
  });

  it('counts dead units (zero for every sample) apart from sparsity (the share of zero outputs)', async () => {
    const { countAllocations } = await import('../testing/alloc');
    const plan = buildPlan(chain({ type: 'dense', params: { units: 4 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo, { maxBatch: 4, seed: 1 });
    plan.tape.setBatch(3);
    fillBatch(plan);
    run(plan);
    // The ReLU's output as the next Dense receives it, 3 samples × 4 units, written by hand:
    // units 0 and 2 are zero for every sample (dead); unit 1 and 3 fire for some samples only.
    const reluOut = plan.edges.findIndex((e) => e.source === 'n2');
    plan.edges[reluOut]!.tensor!.value.set([0, 1, 0, 0, /**/ 0, 0, 0, 2, /**/ 0, 3, 0, 0]);
    const stats = new Float32Array(plan.edges.length * EDGE_STATS);
    expect(countAllocations(() => plan.edgeStats(stats))).toBe(0);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBeCloseTo(9 / 12, 6);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.deadFraction]).toBe(2 / 4);
    // Every unit firing for one sample or more: sparse (11 of 12 zero), and none dead.
    plan.edges[reluOut]!.tensor!.value.set([5, 0, 0, 0, /**/ 0, 1, 0, 7, /**/ 0, 0, 2, 0]);
    plan.edgeStats(stats);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBeCloseTo(8 / 12, 6);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.deadFraction]).toBe(0);
    // Rows past the live batch do not count: with 2 live samples, unit 2 never fired.
    plan.tape.setBatch(2);
    plan.edgeStats(stats);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.deadFraction]).toBe(1 / 4);
  });

  it('reads the same edge statistics on the WebAssembly kernels as on the TypeScript loops, ragged sizes and NaN included', () => {
    // 5 samples × 7 units: 35 floats, so the SIMD loop's 4-wide body and its scalar tail both run.
    const graph = chain({ type: 'dense', params: { units: 7 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } });
    const wasm = buildPlan(graph, spiralInfo, { maxBatch: 6, seed: 4, kernels: 'wasm' });
    const js = buildPlan(graph, spiralInfo, { maxBatch: 6, seed: 4, kernels: 'js' });
    expect([wasm.tape.arena.path, js.tape.arena.path]).toEqual(['wasm', 'js']);
    for (const plan of [wasm, js]) {
      plan.tape.setBatch(5);
      fillBatch(plan, 11);
      run(plan);
    }
    // The same numbers on both: the WebAssembly plan's, copied over.
    const copy = () =>
      wasm.edges.forEach((e, i) => {
        const t = js.edges[i]!.tensor!;
        t.value.set(e.tensor!.value);
        if (t.grad.length > 0) t.grad.set(e.tensor!.grad);
      });
    copy();
    const a = new Float32Array(wasm.edges.length * EDGE_STATS);
    const b = new Float32Array(js.edges.length * EDGE_STATS);
    wasm.edgeStats(a);
    js.edgeStats(b);
    // Sums in float64 in another order, rounded to float32: equal, or one float32 step apart.
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `stat ${i % EDGE_STATS} of edge ${Math.floor(i / EDGE_STATS)}`).toBeLessThanOrEqual(Math.abs(b[i]!) * 2 ** -23);
    const reluOut = wasm.edges.findIndex((e) => e.source === 'n2');
    expect(a[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBeGreaterThan(0);
    // A NaN in the values (a diverging run) reads NaN on both paths; its zeros still count.
    wasm.edges[reluOut]!.tensor!.value[34] = NaN;
    copy();
    wasm.edgeStats(a);
    js.edgeStats(b);
    expect(a[reluOut * EDGE_STATS + EDGE_STAT.actMean]).toBeNaN();
    expect(b[reluOut * EDGE_STATS + EDGE_STAT.actMean]).toBeNaN();
    expect(a[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBe(b[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]);
  });

  it('counts a unit of a sequence by its last axis: dead when zero at every step of every sample', () => {
    const seq = { id: 'seq', name: 'Sequences', task: 'regression' as const, inputShape: [2, 3], targetShape: [2, 1], count: 10 };
    const plan = buildPlan(chain({ type: 'dense', params: { units: 3 } }, { type: 'relu' }, { type: 'dense', params: { units: 1 } }), seq, { maxBatch: 2, seed: 1 });
    run(plan);
    const reluOut = plan.edges.findIndex((e) => e.source === 'n2');
    expect(plan.edges[reluOut]!.units).toBe(3);
    // [sample][step][unit]: unit 0 is zero everywhere; unit 1 fires at step 0 of sample 0 only, unit 2 at step 1 of sample 1.
    plan.edges[reluOut]!.tensor!.value.set([0, 1, 0, /**/ 0, 0, 0, /**/ 0, 0, 0, /**/ 0, 0, 5]);
    const stats = new Float32Array(plan.edges.length * EDGE_STATS);
    plan.edgeStats(stats);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.deadFraction]).toBeCloseTo(1 / 3, 6);
    expect(stats[reluOut * EDGE_STATS + EDGE_STAT.zeroFraction]).toBeCloseTo(10 / 12, 6);
  });

  it('refuses a graph with errors, listing them all', () => {
    expect(() => buildPlan(chain({ type: 'dense', params: { units: 7 } }), spiralInfo, { maxBatch: 4, seed: 1 })).toThrow(CompileFailed);
  });

  it('reset restores the initial weights bit for bit', () => {
    const plan = buildPlan(branched(), spiralInfo, { maxBatch: 4, seed: 9 });
    const before = plan.params.map((p) => Array.from(p.value));
    for (const p of plan.params) p.value.fill(0.5);
    plan.reset(9);
    expect(plan.params.map((p) => Array.from(p.value))).toEqual(before);
  });

  it('initializes a Dense followed by ReLU with He, and one followed by Tanh with Glorot', () => {
    const plan = buildPlan(chain({ type: 'dense', params: { units: 400 } }, { type: 'relu' }, { type: 'dense', params: { units: 400 } }, { type: 'tanh' }, { type: 'dense', params: { units: 3 } }), { ...spiralInfo, inputShape: [400] }, { maxBatch: 2, seed: 1 });
    const variance = (name: string) => {
      const v = param(plan, name).value;
      return v.reduce((s, x) => s + x * x, 0) / v.length;
    };
    expect(variance('dense_1/kernel')).toBeCloseTo(2 / 400, 3); // He: 2 / fanIn
    expect(variance('dense_2/kernel')).toBeCloseTo(1 / 400, 3); // Glorot: 2 / (fanIn + fanOut)
  });
});

describe('Plan.edgeTimeRms (gradients through time)', () => {
  // A sequence regression: 6 steps of 2 features in, one value out.
  const seqInfo = { id: 'seq', name: 'Sequences', task: 'regression' as const, inputShape: [6, 2], targetShape: [1], count: 50 };

  it('gives each sequence edge the RMS of its gradient at every time step, and skips edges that carry vectors', () => {
    const plan = buildPlan(chain({ type: 'rnn', params: { units: 4, returnSequences: true } }, { type: 'rnn', params: { units: 3 } }, { type: 'dense', params: { units: 1 } }), seqInfo, { maxBatch: 5, seed: 2 });
    plan.tape.setBatch(4);
    const rng = new Rng(9);
    for (let i = 0; i < plan.input.size; i++) plan.input.value[i] = rng.range(-1, 1);
    for (let i = 0; i < plan.tape.batch; i++) plan.target.value[i] = rng.range(-1, 1);
    run(plan);
    // e1: input → rnn [6, 2]; e2: rnn → rnn [6, 4]; e3: rnn → dense [3]; e4: dense → output [1].
    expect(plan.edges.map((e) => e.timeSteps)).toEqual([6, 6, 0, 0]);
    expect(plan.edges.map((e) => e.timeOffset)).toEqual([0, 6, 12, 12]);
    expect(plan.timeStatsLength).toBe(12);
    const out = new Float32Array(plan.timeStatsLength);
    plan.edgeTimeRms(out);
    for (const e of plan.edges.slice(0, 2)) {
      const g = e.tensor!.grad;
      const features = e.tensor!.shape[2]!;
      for (let t = 0; t < 6; t++) {
        let sum = 0;
        for (let b = 0; b < 4; b++) for (let f = 0; f < features; f++) sum += g[(b * 6 + t) * features + f]! ** 2;
        expect(out[e.timeOffset + t]).toBeCloseTo(Math.sqrt(sum / (4 * features)), 7);
      }
    }
    // Their squares average to the edge's overall RMS (edgeStats), as the steps split the same numbers.
    const stats = new Float32Array(plan.edges.length * EDGE_STATS);
    plan.edgeStats(stats);
    const meanSquare = Array.from(out.subarray(6, 12)).reduce((a, v) => a + v * v, 0) / 6;
    expect(Math.sqrt(meanSquare)).toBeCloseTo(stats[1 * EDGE_STATS]!, 6);
  });
});
