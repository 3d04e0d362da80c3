/**
 * TensorFlow.js as an independent oracle (tests only; tfjs is a dev dependency).
 * `compareWithTf` runs an op in our engine and the same computation in TF.js on the same
 * inputs, and compares the forward result and the vector-Jacobian product with one random
 * output gradient, i.e. every input's gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Rng } from '../core/rng';
import { Tape, type Var } from '../core/tape';

export { tf };

let initialized: Promise<void> | null = null;
export function tfReady(): Promise<void> {
  initialized ??= (async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return initialized;
}

export interface OracleCase {
  /** Records our op; returns its output and the tensors that play the role of tfjs's inputs, in order. */
  build(tape: Tape): { out: Var; inputs: Var[] };
  /** The same computation in TF.js on tensors of the inputs' live shapes. */
  tf(...inputs: tf.Tensor[]): tf.Tensor;
  maxBatch?: number;
  batch?: number;
  seed?: number;
  fill?: (v: Var, rng: Rng) => void;
  training?: boolean;
  /** Inputs (by position) whose gradient is not compared (integer indices, for example). */
  noGrad?: number[];
}

export interface OracleResult {
  ours: { out: Float32Array; grads: (Float32Array | null)[] };
  theirs: { out: Float32Array; grads: (Float32Array | null)[] };
}

export function compareWithTf(c: OracleCase): OracleResult {
  const rng = new Rng(c.seed ?? 7);
  const tape = new Tape({ maxBatch: c.maxBatch ?? 3, seed: c.seed ?? 7 });
  const { out, inputs } = c.build(tape);
  tape.training = c.training ?? true;
  if (c.batch !== undefined) tape.setBatch(c.batch);
  for (const v of tape.vars) {
    if (v.kind === 'input' || v.kind === 'param') {
      if (c.fill) c.fill(v, rng);
      else for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(-1, 1);
    }
  }
  tape.forward();
  const seed = new Float32Array(out.size);
  for (let i = 0; i < seed.length; i++) seed[i] = rng.range(-1, 1);
  tape.backwardFrom(out, seed);
  const noGrad = new Set(c.noGrad ?? []);
  inputs.forEach((v, i) => {
    if (!v.requiresGrad) noGrad.add(i);
  });
  const ours = {
    out: out.value.slice(0, out.size),
    grads: inputs.map((v, i) => (noGrad.has(i) || !v.requiresGrad ? null : v.grad.slice(0, v.size))),
  };

  tf.engine().startScope();
  try {
    const xs = inputs.map((v) => tf.tensor(v.value.slice(0, v.size), v.currentShape()));
    const y = c.tf(...xs);
    const dy = tf.tensor(seed, y.shape);
    const diffIdx = xs.map((_, i) => i).filter((i) => !noGrad.has(i));
    const g = tf.grads((...args: tf.Tensor[]) => {
      const full = xs.slice();
      diffIdx.forEach((k, j) => (full[k] = args[j]!));
      return c.tf(...full);
    });
    const grads = diffIdx.length ? g(diffIdx.map((i) => xs[i]!), dy) : [];
    const byInput: (Float32Array | null)[] = xs.map(() => null);
    diffIdx.forEach((k, j) => (byInput[k] = grads[j]!.dataSync() as Float32Array));
    return { ours, theirs: { out: y.dataSync() as Float32Array, grads: byInput } };
  } finally {
    tf.engine().endScope();
  }
}

/** Largest violation of |a - b| <= atol + rtol·|b|, with where it happened; null when all pass. */
export function mismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ratio = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (!(ratio <= worstRatio)) {
      worst = i;
      worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
    }
  }
  return worst < 0 ? null : `index ${worst}: ${actual[worst]} vs expected ${expected[worst]}`;
}

/** Asserts (by throwing) that ours matches theirs in output and in every compared gradient. */
export function assertMatchesTf(r: OracleResult, rtol = 1e-4, atol = 1e-5): void {
  const out = mismatch(r.ours.out, r.theirs.out, rtol, atol);
  if (out) throw new Error(`forward differs from TF.js at ${out}`);
  r.ours.grads.forEach((g, i) => {
    const t = r.theirs.grads[i];
    if (!g || !t) return;
    const m = mismatch(g, t, rtol, atol);
    if (m) throw new Error(`gradient of input ${i} differs from TF.js at ${m}`);
  });
}
