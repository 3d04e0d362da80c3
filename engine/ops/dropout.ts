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
  const mask = tape.floats(x.value.length);
  let masked = false;
  // The WebAssembly loop (same stream, same masks, same floats) when the tensors are in the arena.
  const k = tape.arena.kernelsFor(x.value, out.value, mask, ...(x.requiresGrad ? [out.grad, x.grad] : []));
  const words = k ? tape.arena.ints(4) : undefined;
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
      if (k && words && words.buffer === tape.arena.buffer) {
        const arena = tape.arena;
        arena.args[0] = rate;
        arena.args[1] = keep;
        rng.saveWords(words);
        k.dropoutForward(xv.byteOffset, y.byteOffset, mask.byteOffset, n, words.byteOffset, arena.argsAddress);
        rng.loadWords(words);
        return;
      }
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
      if (masked && k) k.mulAddTo(gx.byteOffset, gy.byteOffset, mask.byteOffset, n);
      else if (masked) for (let i = 0; i < n; i++) gx[i]! += gy[i]! * mask[i]!;
      else for (let i = 0; i < n; i++) gx[i]! += gy[i]!;
    },
  });
}
