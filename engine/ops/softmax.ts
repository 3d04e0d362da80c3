import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

type SoftmaxOp = 'softmax' | 'log_softmax';

/** softmax along the last axis: y = exp(x - max) / Σ exp(x - max), row by row. */
export function softmax(tape: Tape, x: Var): Var {
  const { out, width } = prepare(tape, 'softmax', x);
  return tape.record('softmax', {
    out,
    inputs: [x],
    forward() {
      const xv = x.value;
      const y = out.value;
      for (let base = 0, n = out.size; base < n; base += width) {
        const end = base + width;
        const max = rowMax(xv, base, end);
        let s = 0;
        for (let i = base; i < end; i++) {
          const e = Math.exp(xv[i]! - max);
          y[i] = e;
          s += e;
        }
        const inv = 1 / s;
        for (let i = base; i < end; i++) y[i]! *= inv;
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      // dx = y ⊙ (dy - Σ dy·y)
      const y = out.value;
      const gy = out.grad;
      const gx = x.grad;
      for (let base = 0, n = out.size; base < n; base += width) {
        const end = base + width;
        let dot = 0;
        for (let i = base; i < end; i++) dot += gy[i]! * y[i]!;
        for (let i = base; i < end; i++) gx[i]! += y[i]! * (gy[i]! - dot);
      }
    },
  });
}

/** log-softmax along the last axis: y = x - max - log Σ exp(x - max), row by row. */
export function logSoftmax(tape: Tape, x: Var): Var {
  const { out, width } = prepare(tape, 'log_softmax', x);
  return tape.record('log_softmax', {
    out,
    inputs: [x],
    forward() {
      const xv = x.value;
      const y = out.value;
      for (let base = 0, n = out.size; base < n; base += width) {
        const end = base + width;
        const max = rowMax(xv, base, end);
        let s = 0;
        for (let i = base; i < end; i++) s += Math.exp(xv[i]! - max);
        const shift = max + Math.log(s);
        for (let i = base; i < end; i++) y[i] = xv[i]! - shift;
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      // dx = dy - softmax(x) · Σ dy, with softmax(x) = exp(y)
      const y = out.value;
      const gy = out.grad;
      const gx = x.grad;
      for (let base = 0, n = out.size; base < n; base += width) {
        const end = base + width;
        let total = 0;
        for (let i = base; i < end; i++) total += gy[i]!;
        for (let i = base; i < end; i++) gx[i]! += gy[i]! - Math.exp(y[i]!) * total;
      }
    },
  });
}

function prepare(tape: Tape, op: SoftmaxOp, x: Var): { out: Var; width: number } {
  if (x.rank === 0 || (x.batched && x.rank === 1)) {
    throw tape.error(op, `needs an axis to normalize over besides the batch, got ${formatShape(x.shape)}${x.batched ? ' (batched)' : ''}`);
  }
  return { out: tape.output(op, x.shape, x.batched, x.requiresGrad), width: x.shape[x.rank - 1]! };
}

function rowMax(x: Float32Array, begin: number, end: number): number {
  let max = -Infinity;
  for (let i = begin; i < end; i++) if (x[i]! > max) max = x[i]!;
  return max;
}
