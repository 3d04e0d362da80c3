import type { Tape, Var } from '../core/tape';

/**
 * Inverted dropout. In training each element is zeroed with probability `rate` and the survivors
 * are scaled by 1 / (1 - rate), with a fresh mask drawn from tape.rng at every forward pass;
 * when tape.training is false it is the identity (a copy).
 */
export function dropout(tape: Tape, x: Var, rate: number): Var {
  if (!(rate >= 0 && rate < 1)) throw tape.error('dropout', `rate must be in [0, 1), got ${rate}`);
  const out = tape.output('dropout', x.shape, x.batched, x.requiresGrad);
  const keep = 1 / (1 - rate);
  // The mask holds 0 or the keep scale, so backward is one multiply.
  const mask = new Float32Array(x.value.length);
  let masked = false;
  return tape.record('dropout', {
    out,
    inputs: [x],
    forward() {
      const xv = x.value;
      const y = out.value;
      const n = out.size;
      masked = tape.training && rate > 0;
      if (!masked) {
        for (let i = 0; i < n; i++) y[i] = xv[i]!;
        return;
      }
      const rng = tape.rng;
      for (let i = 0; i < n; i++) {
        const m = rng.uniform() < rate ? 0 : keep;
        mask[i] = m;
        y[i] = xv[i]! * m;
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      const gy = out.grad;
      const gx = x.grad;
      const n = out.size;
      if (masked) for (let i = 0; i < n; i++) gx[i]! += gy[i]! * mask[i]!;
      else for (let i = 0; i < n; i++) gx[i]! += gy[i]!;
    },
  });
}
