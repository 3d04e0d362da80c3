import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import type { Shape } from '../core/shape';
import { Tape, type Var } from '../core/tape';
import type { DatasetInfo } from '../data/types';
import { initialize } from '../init/initializers';
import { meanSquaredError } from '../losses/losses';
import { createOptimizer } from '../optim';
import { buildPlan } from '../compiler/plan';
import { fillUniform, gradCheck } from '../testing/gradcheck';
import { mismatch, tf, tfReady } from '../testing/oracle';
import { lstm as referenceLstm } from '../testing/reference-models';
import { gruLayer } from './gru';
import { lstmLayer } from './lstm';
import type { RecurrentParams } from './recurrent';
import { getLayer } from './registry';
import { rnnLayer } from './rnn';
import type { BuildContext, LayerDef, LayerProblem } from './types';

beforeAll(tfReady);

const LAYERS = { rnn: rnnLayer, lstm: lstmLayer, gru: gruLayer } as const;
type Kind = keyof typeof LAYERS;
const KINDS = Object.keys(LAYERS) as Kind[];
const GATES: Record<Kind, number> = { rnn: 1, lstm: 4, gru: 3 };

const seqInfo = (steps: number, features: number): DatasetInfo => ({
  id: 'seq', name: 'Sequences', task: 'regression', inputShape: [steps, features], targetShape: [1], count: 64,
});

function params(units: number, returnSequences: boolean, useBias = true): RecurrentParams {
  return { units, returnSequences, useBias, kernelInitializer: 'auto' };
}

/** A BuildContext like the plan's: parameters initialized by the layer's own initializers, each reported to `created`. */
function context(tape: Tape, rng: Rng, dataset: DatasetInfo, created: Var[] = []): BuildContext {
  return {
    tape, rng, dataset, nodeId: 'n1', nextActivation: undefined,
    dataInput: tape.input('data', dataset.inputShape), target: tape.input('data_target', dataset.targetShape),
    inputTypes: ['input'], onReset: () => {}, buffer: () => {}, expose: () => {},
    param(name, shape, init) {
      const v = tape.param(name, shape);
      initialize(v.value, shape, init, rng);
      created.push(v);
      return v;
    },
  };
}

/** Builds `kind` on a fresh input x [T, F] (with a gradient); returns x, the output and the layer's parameters in Keras's order. */
function buildLayer(tape: Tape, kind: Kind, steps: number, features: number, p: RecurrentParams, seed = 1) {
  const x = tape.input('x', [steps, features], { requiresGrad: true });
  const created: Var[] = [];
  const out = tape.inNode(kind, () => (LAYERS[kind] as LayerDef<RecurrentParams>).build(context(tape, new Rng(seed), seqInfo(steps, features), created), [x], p));
  return { x, out, weights: created };
}

describe('recurrent layers: finite-difference gradients of the input and every parameter', () => {
  const cases = KINDS.flatMap((kind) => [false, true].map((seq) => [kind, seq] as const));
  it.each(cases)('%s, returnSequences %s (T 4, F 3, 3 units, live batch 2 of 3)', (kind, seq) => {
    const r = gradCheck({
      build(tape) {
        const { x, out, weights } = buildLayer(tape, kind, 4, 3, params(3, seq));
        expect(weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
        return { out, wrt: [x, ...weights] };
      },
      maxBatch: 3,
      batch: 2,
      maxElements: 80,
      fill: (v, rng) => fillUniform(v, rng, -0.8, 0.8),
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(2 * 4 * 3 + (3 + 3 + 1) * GATES[kind] * 3);
  });

  it.each(KINDS)('%s without bias, and with a single time step (no recurrent term, one state)', (kind) => {
    for (const [steps, useBias] of [[3, false], [1, true]] as const) {
      const r = gradCheck({
        build(tape) {
          const { x, out, weights } = buildLayer(tape, kind, steps, 2, params(2, true, useBias));
          expect(out.shape).toEqual([3, steps, 2]);
          return { out, wrt: [x, ...weights] };
        },
        maxBatch: 3,
      });
      expect(r.failures, `${kind} T=${steps} bias=${useBias}`).toEqual([]);
      expect(r.checked).toBeGreaterThan(0);
    }
  });
});

/**
 * The same layer in TensorFlow.js's tfjs-layers, with sigmoid gates (its default is hard sigmoid).
 * Its initial weights are replaced by ours; the recurrent initializer is set to zeros only because
 * TF.js's orthogonal initializer needs the chained-op registrations this test does not load.
 */
function tfLayer(kind: Kind, p: RecurrentParams): tfl.layers.Layer {
  const common = { units: p.units, returnSequences: p.returnSequences, useBias: p.useBias, recurrentInitializer: 'zeros' } as const;
  if (kind === 'rnn') return tfl.layers.simpleRNN({ ...common, activation: 'tanh' });
  if (kind === 'lstm') return tfl.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
  return tfl.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
}

describe('recurrent layers against TensorFlow.js layers (tfjs-layers 4.22, same weights, same data)', () => {
  const cases = KINDS.flatMap((kind) => [false, true].map((seq) => [kind, seq] as const));
  it.each(cases)('%s, returnSequences %s: output, MSE loss, and the gradients of the input and every weight', (kind, seq) => {
    const steps = 5;
    const features = 3;
    const p = params(4, seq);
    const tape = new Tape({ maxBatch: 4, seed: 1 });
    const { x, out, weights } = buildLayer(tape, kind, steps, features, p, 5);
    const target = tape.input('y', out.shape.slice(1));
    const loss = meanSquaredError(tape, out, target);
    tape.setBatch(3);
    const rng = new Rng(21);
    // The layers' own initial weights (orthogonal recurrence, forget bias 1), nudged so no bias is trivial.
    for (const w of weights) for (let i = 0; i < w.value.length; i++) w.value[i]! += rng.range(-0.2, 0.2);
    for (let i = 0; i < x.size; i++) x.value[i] = rng.range(-1, 1);
    for (let i = 0; i < target.size; i++) target.value[i] = rng.range(-1, 1);
    tape.forward();
    tape.backward(loss);

    const theirs = tf.tidy(() => {
      const layer = tfLayer(kind, p);
      const xv = tf.variable(tf.tensor(x.value.slice(0, x.size), x.currentShape()));
      const y = tf.tensor(target.value.slice(0, target.size), target.currentShape());
      layer.apply(xv); // builds the weights
      layer.setWeights(weights.map((w) => tf.tensor(w.value, w.shape as number[])));
      expect(layer.countParams()).toBe(LAYERS[kind].paramCount!([[steps, features]], p, { dataset: seqInfo(steps, features) }));
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      expect(vars.map((v) => v.shape)).toEqual(weights.map((w) => w.shape));
      const { value, grads } = tf.variableGrads(() => {
        const o = layer.apply(xv) as tf.Tensor;
        return tf.losses.meanSquaredError(y, o) as tf.Scalar;
      }, [xv, ...vars]);
      const o = layer.apply(xv) as tf.Tensor;
      return {
        out: o.dataSync() as Float32Array,
        shape: o.shape,
        loss: value.dataSync()[0]!,
        dx: grads[xv.name]!.dataSync() as Float32Array,
        dw: vars.map((v) => grads[v.name]!.dataSync() as Float32Array),
      };
    });

    expect(out.currentShape()).toEqual(theirs.shape);
    expect(mismatch(out.value.subarray(0, out.size), theirs.out, 1e-4, 1e-6), 'output').toBeNull();
    expect(Math.abs(loss.value[0]! - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
    expect(mismatch(x.grad.subarray(0, x.size), theirs.dx, 1e-3, 1e-6), 'input gradient').toBeNull();
    weights.forEach((w, i) => {
      expect(mismatch(w.grad, theirs.dw[i]!, 1e-3, 1e-6), `gradient of ${w.name}`).toBeNull();
      expect(w.grad.some((g) => g !== 0), `${w.name} has a gradient`).toBe(true);
    });
  });
});

describe('recurrent layers: parameter counts (Keras / TF.js)', () => {
  it.each(KINDS)('%s: paramCount is the number of weights build creates, for several sizes', (kind) => {
    const layer = LAYERS[kind] as LayerDef<RecurrentParams>;
    for (const [steps, features, units, useBias, seq] of [[1, 1, 1, true, false], [6, 5, 4, true, true], [3, 7, 2, false, false], [2, 2, 9, false, true]] as const) {
      const p = params(units, seq, useBias);
      const { weights } = buildLayer(new Tape({ maxBatch: 2 }), kind, steps, features, p);
      const created = weights.reduce((n, w) => n + w.value.length, 0);
      expect(created).toBe(layer.paramCount!([[steps, features]], p, { dataset: seqInfo(steps, features) }));
      expect(created).toBe(GATES[kind] * (features * units + units * units + (useBias ? units : 0)));
    }
  });

  it('Keras conventions: LSTM 4·(F·u + u·u + u), GRU (reset_after=False, as TF.js) 3·(F·u + u·u + u), SimpleRNN F·u + u·u + u', () => {
    const p = params(32, false);
    const ctx = { dataset: seqInfo(20, 8) };
    expect(lstmLayer.paramCount!([[20, 8]], p, ctx)).toBe(4 * (8 * 32 + 32 * 32 + 32));
    expect(gruLayer.paramCount!([[20, 8]], p, ctx)).toBe(3 * (8 * 32 + 32 * 32 + 32));
    expect(rnnLayer.paramCount!([[20, 8]], p, ctx)).toBe(8 * 32 + 32 * 32 + 32);
  });

  it('starts as Keras does: orthogonal recurrent kernel, zero biases except the LSTM forget gate at 1', () => {
    const u = 3;
    const { weights } = buildLayer(new Tape({ maxBatch: 1 }), 'lstm', 4, 2, params(u, false));
    const [, rec, bias] = weights as [Var, Var, Var];
    expect(Array.from(bias.value)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // Rows of the [u, 4u] recurrent kernel are orthonormal.
    for (let a = 0; a < u; a++) {
      for (let b = 0; b < u; b++) {
        let dot = 0;
        for (let k = 0; k < 4 * u; k++) dot += rec.value[a * 4 * u + k]! * rec.value[b * 4 * u + k]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    const gru = buildLayer(new Tape({ maxBatch: 1 }), 'gru', 4, 2, params(u, false)).weights[2]!;
    expect(gru.value.every((v) => v === 0)).toBe(true);
  });
});

describe('recurrent layers: shape inference and problems', () => {
  const ctx = { dataset: seqInfo(20, 8) };
  const text = { dataset: { ...seqInfo(20, 1), inputShape: [20], vocabSize: 30 } };
  const messages = (r: Shape | LayerProblem[]): LayerProblem[] => {
    expect(typeof r[0] === 'object', JSON.stringify(r)).toBe(true);
    return r as LayerProblem[];
  };

  it.each(KINDS)('%s: [T, F] gives [units], or [T, units] with returnSequences, as build makes it', (kind) => {
    const layer = LAYERS[kind] as LayerDef<RecurrentParams>;
    for (const seq of [false, true]) {
      const p = params(6, seq);
      const shape = layer.infer([[7, 3]], p, ctx);
      expect(shape).toEqual(seq ? [7, 6] : [6]);
      const { out } = buildLayer(new Tape({ maxBatch: 2 }), kind, 7, 3, p);
      expect(out.shape.slice(1)).toEqual(shape);
      expect(layer.caption!(p)).toBe(seq ? '6, seq' : '6');
    }
  });

  it('a vector input: says it needs a sequence, and how to get one', () => {
    const [pr] = messages(lstmLayer.infer([[64]], params(32, false), ctx));
    expect(pr!.message).toBe('LSTM reads a sequence (time steps × features), but gets 64 features per sample.');
    expect(pr!.fix).toMatch(/sequence dataset/);
    expect(pr!.fix).toMatch(/Embedding/);
    expect(pr!.fix).toMatch(/Reshape to \[64, 1\]/);
    expect(pr!.slot).toBe(0);
  });

  it('token ids (a dataset with a vocabulary): add an Embedding', () => {
    const [pr] = messages(gruLayer.infer([[20]], params(32, false), text));
    expect(pr!.message).toBe('GRU reads a sequence (time steps × features), but gets 20 numbers per sample: token ids, not vectors.');
    expect(pr!.fix).toBe('Add an Embedding before this GRU to turn each token id into a vector.');
  });

  it('an image: read it row by row through a Reshape', () => {
    const [pr] = messages(rnnLayer.infer([[28, 28, 1]], params(32, false), ctx));
    expect(pr!.message).toBe('SimpleRNN reads a sequence (time steps × features), but gets an image-shaped 28×28×1 tensor.');
    expect(pr!.fix).toBe('Add a Reshape to [28, 28] to read it row by row (28 steps of 28 features).');
  });

  it('a scalar per sample', () => {
    const [pr] = messages(lstmLayer.infer([[]], params(32, false), ctx));
    expect(pr!.message).toBe('LSTM reads a sequence (time steps × features), but gets a scalar per sample.');
  });

  it('registered in Recurrent & Attention, with Keras-like labels and palette keywords', () => {
    expect(KINDS.map((k) => getLayer(k)?.label)).toEqual(['SimpleRNN', 'LSTM', 'GRU']);
    for (const k of KINDS) {
      const layer = getLayer(k)!;
      expect(layer.category).toBe('Recurrent & Attention');
      expect(layer.paramCount).toBeDefined();
      expect(layer.keywords).toEqual(expect.arrayContaining(['recurrent', 'sequence', 'time series']));
      expect(Object.keys(layer.params)).toEqual(['units', 'returnSequences', 'useBias', 'kernelInitializer']);
      expect(layer.params.returnSequences!.help).toMatch(/every time step/);
    }
  });
});

describe('recurrent layers in a compiled model', () => {
  it('input [12, 2] → LSTM(8, seq) → GRU(6) → Dense(1) → output: compiles with the promised shapes and counts, and Adam fits a batch', () => {
    const info = seqInfo(12, 2);
    const graph = {
      nodes: [
        { id: 'in', type: 'input', params: {} },
        { id: 'l', type: 'lstm', params: { units: 8, returnSequences: true } },
        { id: 'g', type: 'gru', params: { units: 6 } },
        { id: 'd', type: 'dense', params: { units: 1 } },
        { id: 'out', type: 'output', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'l' },
        { id: 'e2', source: 'l', target: 'g' },
        { id: 'e3', source: 'g', target: 'd' },
        { id: 'e4', source: 'd', target: 'out' },
      ],
    };
    const plan = buildPlan(graph, info, { maxBatch: 16, seed: 4 });
    const node = (id: string) => plan.compiled.nodes.get(id)!;
    expect(node('l').shape).toEqual([12, 8]);
    expect(node('l').caption).toBe('8, seq');
    expect(node('g').shape).toEqual([6]);
    expect(node('l').paramCount).toBe(4 * (2 * 8 + 8 * 8 + 8));
    expect(node('g').paramCount).toBe(3 * (8 * 6 + 6 * 6 + 6));
    expect(plan.params.map((p) => p.name)).toEqual([
      'lstm_1/kernel', 'lstm_1/recurrent_kernel', 'lstm_1/bias', 'gru_1/kernel', 'gru_1/recurrent_kernel', 'gru_1/bias', 'dense_1/kernel', 'dense_1/bias',
    ]);

    // Target: the mean of the first feature over the sequence (needs memory of every step).
    const rng = new Rng(9);
    const x = plan.input.value;
    for (let i = 0; i < x.length; i++) x[i] = rng.range(-1, 1);
    for (let b = 0; b < 16; b++) {
      let s = 0;
      for (let t = 0; t < 12; t++) s += x[b * 24 + t * 2]!;
      plan.target.value[b] = s / 12;
    }
    const optimizer = createOptimizer(plan.params, { kind: 'adam', learningRate: 0.01 });
    plan.tape.forward();
    const first = plan.loss.value[0]!;
    for (let i = 0; i < 150; i++) {
      plan.tape.forward();
      plan.tape.backward(plan.loss);
      optimizer.step();
    }
    plan.tape.forward();
    expect(plan.loss.value[0]!).toBeLessThan(first / 5);
    // Every edge into and out of the recurrent layers carries a gradient.
    for (const e of plan.edges) expect(e.tensor!.grad.some((g) => g !== 0), e.id).toBe(true);
  });

  it('input [6, 1] → LSTM(5) → Dense(1) → output (the benchmark\'s model) equals the reference LSTM\'s TF.js twin: loss and every gradient', () => {
    const graph = {
      nodes: [{ id: 'in', type: 'input' }, { id: 'l', type: 'lstm', params: { units: 5 } }, { id: 'd', type: 'dense', params: { units: 1 } }, { id: 'out', type: 'output' }],
      edges: [{ id: 'e1', source: 'in', target: 'l' }, { id: 'e2', source: 'l', target: 'd' }, { id: 'e3', source: 'd', target: 'out' }],
    };
    const plan = buildPlan(graph, seqInfo(6, 1), { maxBatch: 4, seed: 2, inputGradient: false });
    plan.tape.setBatch(3);
    const rng = new Rng(3);
    for (let i = 0; i < plan.input.size; i++) plan.input.value[i] = rng.range(-1, 1);
    for (let i = 0; i < plan.target.size; i++) plan.target.value[i] = rng.range(-1, 1);
    plan.tape.forward();
    plan.tape.backward(plan.loss);
    const twin = referenceLstm(new Tape({ maxBatch: 1 }), new Rng(0), 6, 1, 5);
    const theirs = tf.tidy(() => {
      const vars = plan.params.map((p) => tf.variable(tf.tensor(p.value, p.shape as number[])));
      const x = tf.tensor(plan.input.value.slice(0, plan.input.size), plan.input.currentShape());
      const y = tf.tensor(plan.target.value.slice(0, plan.target.size), plan.target.currentShape());
      const { value, grads } = tf.variableGrads(() => twin.tfLoss(tf, vars, x, y), vars);
      return { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
    });
    expect(Math.abs(plan.loss.value[0]! - theirs.loss) / theirs.loss).toBeLessThan(1e-5);
    plan.params.forEach((p, i) => expect(mismatch(p.grad, theirs.grads[i]!, 1e-3, 1e-6), p.name).toBeNull());
  });
});
