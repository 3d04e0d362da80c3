/**
 * Three small models built from the engine's primitives, each with its TF.js twin computing the
 * same loss from the same parameter values. Used by the model-level oracle tests and by the
 * benchmarks (so both measure exactly the models that are proven equal).
 *
 * - mlp: dense layers with an activation between them, softmax cross-entropy on class ids;
 * - cnn: conv(8, 3×3, same)+relu → maxpool 2 → conv(16, 3×3, valid)+relu → maxpool 2 → dense 10;
 * - lstm: an LSTM cell (Keras gate order i, f, g, o) unrolled over time from matmul, add, slice,
 *   sigmoid, tanh and mul, then dense 1 on the last hidden state with a squared-error loss.
 */
import type * as tfType from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng';
import type { Tape, Var } from '../core/tape';
import { add, mul } from '../ops/binary';
import { conv2d } from '../ops/conv2d';
import { matmul } from '../ops/matmul';
import { maxPool2d } from '../ops/pool2d';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { relu, sigmoid, tanh } from '../ops/unary';
import { meanSquaredError, softmaxCrossEntropy } from '../losses/losses';

type TF = typeof tfType;
type T = tfType.Tensor;

export interface ReferenceModel {
  input: Var;
  target: Var;
  loss: Var;
  params: Var[];
  /** Random inputs and valid targets for the tape's current batch. */
  fillBatch(rng: Rng): void;
  /** The same loss in TF.js, from tensors holding the same parameter values (in `params` order). */
  tfLoss(tf: TF, params: T[], x: T, y: T): tfType.Scalar;
}

/** Uniform in ±sqrt(6 / (fanIn + fanOut)) (Glorot), so activations stay in a healthy range. */
export function fillGlorot(v: Var, rng: Rng, fanIn: number, fanOut: number): void {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-limit, limit);
}

function fillBias(v: Var, rng: Rng): void {
  for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-0.1, 0.1);
}

function fillClassIds(v: Var, rng: Rng, classes: number, n: number): void {
  for (let i = 0; i < n; i++) v.value[i] = rng.int(classes);
}

export type Activation = 'tanh' | 'relu' | 'sigmoid';
const act = { tanh, relu, sigmoid } as const;

export function mlp(tape: Tape, sizes: readonly number[], activation: Activation, rng: Rng): ReferenceModel {
  const input = tape.input('x', [sizes[0]!]);
  const target = tape.input('target', []);
  const params: Var[] = [];
  let h = input;
  for (let l = 1; l < sizes.length; l++) {
    const w = tape.param(`w${l}`, [sizes[l - 1]!, sizes[l]!]);
    const b = tape.param(`b${l}`, [sizes[l]!]);
    fillGlorot(w, rng, sizes[l - 1]!, sizes[l]!);
    fillBias(b, rng);
    params.push(w, b);
    h = add(tape, matmul(tape, h, w), b);
    if (l < sizes.length - 1) h = act[activation](tape, h);
  }
  const classes = sizes[sizes.length - 1]!;
  return {
    input,
    target,
    params,
    loss: softmaxCrossEntropy(tape, h, target),
    fillBatch(r) {
      for (let i = 0; i < input.size; i++) input.value[i] = r.range(-1, 1);
      fillClassIds(target, r, classes, tape.batch);
    },
    tfLoss(tf, p, x, y) {
      let z = x;
      for (let l = 0; l < p.length / 2; l++) {
        z = tf.add(tf.matMul(z, p[2 * l]!), p[2 * l + 1]!);
        if (l < p.length / 2 - 1) z = tf[activation](z);
      }
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32'), classes), z) as tfType.Scalar;
    },
  };
}

export function cnn(tape: Tape, rng: Rng, size = 28, classes = 10): ReferenceModel {
  const input = tape.input('x', [size, size, 1]);
  const target = tape.input('target', []);
  const w1 = tape.param('conv1_w', [3, 3, 1, 8]);
  const b1 = tape.param('conv1_b', [8]);
  const w2 = tape.param('conv2_w', [3, 3, 8, 16]);
  const b2 = tape.param('conv2_b', [16]);
  fillGlorot(w1, rng, 9, 72);
  fillGlorot(w2, rng, 72, 144);
  fillBias(b1, rng);
  fillBias(b2, rng);
  let h = relu(tape, add(tape, conv2d(tape, input, w1, { strides: 1, padding: 'same' }), b1));
  h = maxPool2d(tape, h, { poolSize: 2, strides: 2, padding: 'valid' });
  h = relu(tape, add(tape, conv2d(tape, h, w2, { strides: 1, padding: 'valid' }), b2));
  h = maxPool2d(tape, h, { poolSize: 2, strides: 2, padding: 'valid' });
  const flat = h.innerSize;
  h = reshape(tape, h, [flat]);
  const w3 = tape.param('dense_w', [flat, classes]);
  const b3 = tape.param('dense_b', [classes]);
  fillGlorot(w3, rng, flat, classes);
  fillBias(b3, rng);
  const logits = add(tape, matmul(tape, h, w3), b3);
  return {
    input,
    target,
    params: [w1, b1, w2, b2, w3, b3],
    loss: softmaxCrossEntropy(tape, logits, target),
    fillBatch(r) {
      for (let i = 0; i < input.size; i++) input.value[i] = r.uniform();
      fillClassIds(target, r, classes, tape.batch);
    },
    tfLoss(tf, [cw1, cb1, cw2, cb2, dw, db], x, y) {
      let z = tf.relu(tf.add(tf.conv2d(x as tfType.Tensor4D, cw1 as tfType.Tensor4D, 1, 'same'), cb1!));
      z = tf.maxPool(z as tfType.Tensor4D, 2, 2, 'valid');
      z = tf.relu(tf.add(tf.conv2d(z as tfType.Tensor4D, cw2 as tfType.Tensor4D, 1, 'valid'), cb2!));
      z = tf.maxPool(z as tfType.Tensor4D, 2, 2, 'valid');
      z = tf.reshape(z, [x.shape[0]!, -1]);
      const logits = tf.add(tf.matMul(z, dw!), db!);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32'), classes), logits) as tfType.Scalar;
    },
  };
}

export function lstm(tape: Tape, rng: Rng, steps = 20, features = 1, units = 32): ReferenceModel {
  const input = tape.input('x', [steps, features]);
  const target = tape.input('target', [1]);
  const wx = tape.param('lstm_kernel', [features, 4 * units]);
  const wh = tape.param('lstm_recurrent', [units, 4 * units]);
  const b = tape.param('lstm_bias', [4 * units]);
  fillGlorot(wx, rng, features, 4 * units);
  fillGlorot(wh, rng, units, 4 * units);
  fillBias(b, rng);
  // One product for every time step's input contribution: [B, T, F]·[F, 4U] → [B, T, 4U].
  const xw = matmul(tape, input, wx);
  let h: Var | null = null;
  let c: Var | null = null;
  for (let t = 0; t < steps; t++) {
    const xt = reshape(tape, slice(tape, xw, [0, t, 0], [-1, 1, -1]), [4 * units]);
    const z = add(tape, h ? add(tape, xt, matmul(tape, h, wh)) : xt, b);
    const gate = (k: number): Var => slice(tape, z, [0, k * units], [-1, units]);
    const i = sigmoid(tape, gate(0));
    const f = sigmoid(tape, gate(1));
    const g = tanh(tape, gate(2));
    const o = sigmoid(tape, gate(3));
    c = c ? add(tape, mul(tape, f, c), mul(tape, i, g)) : mul(tape, i, g);
    h = mul(tape, o, tanh(tape, c));
  }
  const wo = tape.param('dense_w', [units, 1]);
  const bo = tape.param('dense_b', [1]);
  fillGlorot(wo, rng, units, 1);
  fillBias(bo, rng);
  const pred = add(tape, matmul(tape, h!, wo), bo);
  return {
    input,
    target,
    params: [wx, wh, b, wo, bo],
    loss: meanSquaredError(tape, pred, target),
    fillBatch(r) {
      for (let i = 0; i < input.size; i++) input.value[i] = r.range(-1, 1);
      for (let i = 0; i < target.size; i++) target.value[i] = r.range(-1, 1);
    },
    tfLoss(tf, [kx, kh, kb, dw, db], x, y) {
      const batch = x.shape[0]!;
      const xw2 = tf.reshape(tf.matMul(tf.reshape(x, [-1, features]), kx!), [batch, steps, 4 * units]);
      let hh: T | null = null;
      let cc: T | null = null;
      for (let t = 0; t < steps; t++) {
        const xt = tf.reshape(tf.slice(xw2, [0, t, 0], [-1, 1, -1]), [batch, 4 * units]);
        const z = tf.add(hh ? tf.add(xt, tf.matMul(hh, kh!)) : xt, kb!);
        const [gi, gf, gg, go] = tf.split(z, 4, 1) as [T, T, T, T];
        const i = tf.sigmoid(gi);
        const f = tf.sigmoid(gf);
        const g = tf.tanh(gg);
        const o = tf.sigmoid(go);
        cc = cc ? tf.add(tf.mul(f, cc), tf.mul(i, g)) : tf.mul(i, g);
        hh = tf.mul(o, tf.tanh(cc));
      }
      const pred2 = tf.add(tf.matMul(hh!, dw!), db!);
      return tf.losses.meanSquaredError(y, pred2) as tfType.Scalar;
    },
  };
}
