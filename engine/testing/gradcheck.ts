/**
 * Test helpers: finite-difference gradient checks in float64 arithmetic against the engine's
 * float32 gradients. Used by tests only.
 *
 * The check projects the op's output on a fixed random vector r (L = Σ out·r, summed in float64),
 * so one backward pass with seed r gives dL/dx for every input element; each input element is
 * then nudged by ±eps and L re-evaluated. The actual step is measured after rounding to float32.
 */
import { Rng } from '../core/rng';
import { Tape, type Var } from '../core/tape';
import type { Shape } from '../core/shape';

export interface GradCheckCase {
  /** Records the op on the tape; returns the output and the inputs whose gradients are checked. */
  build(tape: Tape): { out: Var; wrt: Var[] };
  maxBatch?: number;
  /** Run at a smaller batch than maxBatch (checks the live-size paths). */
  batch?: number;
  seed?: number;
  /** Fills inputs; defaults to uniform in [-1, 1]. */
  fill?: (v: Var, rng: Rng) => void;
  eps?: number;
  /** Pass when |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|). */
  rtol?: number;
  atol?: number;
  /** Check at most this many elements per input (chosen at random) to keep big ops fast. */
  maxElements?: number;
  training?: boolean;
}

export interface GradCheckResult {
  checked: number;
  worst: { input: string; index: number; analytic: number; numeric: number; error: number } | null;
  failures: string[];
}

export function fillUniform(v: Var, rng: Rng, lo = -1, hi = 1): void {
  for (let i = 0; i < v.value.length; i++) v.value[i] = rng.range(lo, hi);
}

/** Values kept away from 0 by `gap`, for ops with a kink at zero (relu, abs-like). */
export function fillAwayFromZero(v: Var, rng: Rng, gap = 0.05): void {
  for (let i = 0; i < v.value.length; i++) {
    const m = rng.range(gap, 1);
    v.value[i] = rng.uniform() < 0.5 ? -m : m;
  }
}

export function gradCheck(c: GradCheckCase): GradCheckResult {
  const rng = new Rng(c.seed ?? 1);
  const tape = new Tape({ maxBatch: c.maxBatch ?? 3, seed: c.seed ?? 1 });
  const { out, wrt } = c.build(tape);
  tape.training = c.training ?? true;
  if (c.batch !== undefined) tape.setBatch(c.batch);
  for (const v of tape.vars) {
    if (v.kind === 'input' || v.kind === 'param') (c.fill ?? fillUniform)(v, rng);
  }
  const eps = c.eps ?? 1e-3;
  const rtol = c.rtol ?? 1e-2;
  const atol = c.atol ?? 1e-3;

  const r = new Float64Array(out.size);
  for (let i = 0; i < r.length; i++) r[i] = rng.range(-1, 1);
  const lossOf = (): number => {
    // Dropout and similar ops draw from the tape's stream: replay the same draws every time.
    tape.rng.reseed(c.seed ?? 1);
    tape.forward();
    let s = 0;
    for (let i = 0; i < r.length; i++) s += out.value[i]! * r[i]!;
    return s;
  };

  lossOf();
  tape.backwardFrom(out, r);
  const analytic = wrt.map((v) => Float64Array.from(v.grad.subarray(0, v.size)));

  const failures: string[] = [];
  let worst: GradCheckResult['worst'] = null;
  let checked = 0;
  wrt.forEach((v, vi) => {
    const n = v.size;
    const indices = pickIndices(n, c.maxElements ?? 64, rng);
    for (const i of indices) {
      const x0 = v.value[i]!;
      v.value[i] = x0 + eps;
      const up = v.value[i]!;
      const lUp = lossOf();
      v.value[i] = x0 - eps;
      const down = v.value[i]!;
      const lDown = lossOf();
      v.value[i] = x0;
      const numeric = (lUp - lDown) / (up - down);
      const a = analytic[vi]![i]!;
      const error = Math.abs(a - numeric);
      const bound = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
      checked++;
      if (!worst || error / bound > worst.error / (atol + rtol * Math.max(Math.abs(worst.analytic), Math.abs(worst.numeric)))) {
        worst = { input: v.name, index: i, analytic: a, numeric, error };
      }
      if (!(error <= bound)) {
        failures.push(`${v.name}[${i}]: analytic ${a.toExponential(4)} vs numeric ${numeric.toExponential(4)}`);
      }
    }
  });
  lossOf();
  return { checked, worst, failures };
}

function pickIndices(n: number, max: number, rng: Rng): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(all);
  return Array.from(all.subarray(0, max));
}

/** Random shape helper: each dimension uniform in [lo, hi]. */
export function randomShape(rng: Rng, rank: number, lo = 1, hi = 4): number[] {
  return Array.from({ length: rank }, () => lo + rng.int(hi - lo + 1));
}

export function shapeOf(...dims: number[]): Shape {
  return dims;
}
