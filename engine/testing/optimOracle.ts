/**
 * Optimizers against TF.js (tests only): ours and a tf.train optimizer take the same steps on the
 * same quadratic loss L = Σ ½·a·(w − c)², whose gradient a·(w − c) is computed in float64 from each
 * side's current float32 weights. Only the optimizers differ, so their trajectories must agree.
 */
import type { Optimizer, OptimizerParam } from '../optim/types';
import { tf } from './oracle';

export interface Quadratic {
  /** Initial weights, one array per parameter. */
  w0: number[][];
  /** Curvature per element (same layout as w0). */
  a: number[][];
  /** Minimum per element. */
  c: number[][];
}

/** A two-parameter problem with mixed curvatures and signs. */
export const QUADRATIC: Quadratic = {
  w0: [[1, -2, 0.5, 3], [-0.7, 0.2]],
  a: [[1, 0.5, 4, 0.1], [2, 10]],
  c: [[0.3, 0, -1, 1], [0.5, -0.4]],
};

export function quadraticGrad(q: Quadratic, p: number, w: ArrayLike<number>, out: Float32Array): void {
  for (let j = 0; j < out.length; j++) out[j] = q.a[p]![j]! * (w[j]! - q.c[p]![j]!);
}

export function makeParams(q: Quadratic): OptimizerParam[] {
  return q.w0.map((w, p) => ({ name: `p${p}`, value: Float32Array.from(w), grad: new Float32Array(w.length) }));
}

/** Weights after each of `steps` steps: trajectory[step][param]. */
export type Trajectory = Float32Array[][];

export function runOurs(q: Quadratic, make: (params: OptimizerParam[]) => Optimizer, steps: number, extraGrad?: (p: number, w: Float32Array, g: Float32Array) => void): Trajectory {
  const params = makeParams(q);
  const opt = make(params);
  const out: Trajectory = [];
  for (let s = 0; s < steps; s++) {
    params.forEach((prm, p) => {
      quadraticGrad(q, p, prm.value, prm.grad);
      extraGrad?.(p, prm.value, prm.grad);
    });
    opt.step();
    out.push(params.map((prm) => prm.value.slice()));
  }
  return out;
}

let uid = 0;

/** The same with a TF.js optimizer (disposed afterwards). `extraGrad` adds to the gradient, e.g. l2·w. */
export function runTf(q: Quadratic, opt: tf.Optimizer, steps: number, extraGrad?: (p: number, w: Float32Array, g: Float32Array) => void): Trajectory {
  const vars = q.w0.map((w) => tf.variable(tf.tensor1d(w), true, `optim_oracle_${uid++}`));
  const out: Trajectory = [];
  for (let s = 0; s < steps; s++) {
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, p) => {
      const w = v.dataSync() as Float32Array;
      const g = new Float32Array(w.length);
      quadraticGrad(q, p, w, g);
      extraGrad?.(p, w, g);
      grads[v.name] = tf.tensor1d(g);
    });
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    out.push(vars.map((v) => (v.dataSync() as Float32Array).slice()));
  }
  vars.forEach((v) => v.dispose());
  opt.dispose();
  return out;
}

/** The first place two trajectories differ beyond |a − b| <= atol + rtol·|b|, or null. */
export function trajectoryMismatch(ours: Trajectory, theirs: Trajectory, rtol = 1e-5, atol = 1e-6): string | null {
  for (let s = 0; s < theirs.length; s++) {
    for (let p = 0; p < theirs[s]!.length; p++) {
      const a = ours[s]![p]!;
      const b = theirs[s]![p]!;
      for (let j = 0; j < b.length; j++) {
        if (!(Math.abs(a[j]! - b[j]!) <= atol + rtol * Math.abs(b[j]!))) {
          return `step ${s + 1}, param ${p}, element ${j}: ours ${a[j]} vs TF.js ${b[j]}`;
        }
      }
    }
  }
  return null;
}
