import { EngineError } from '../core/errors';
import { formatShape, sameShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * Losses: each reduces to a scalar mean over the live batch, so its gradient is already divided
 * by the number of averaged terms. Targets never receive a gradient.
 */

function checkTargets(tape: Tape, op: string, pred: Var, target: Var): void {
  if (!sameShape(pred.shape, target.shape)) {
    throw tape.error(op, `predictions have shape ${formatShape(pred.shape)} but targets have shape ${formatShape(target.shape)}`);
  }
}

function scalarOut(tape: Tape, op: string, pred: Var): Var {
  return tape.output(op, [1], false, pred.requiresGrad);
}

/** Mean squared error over every element. */
export function meanSquaredError(tape: Tape, pred: Var, target: Var): Var {
  checkTargets(tape, 'mse', pred, target);
  const out = scalarOut(tape, 'mse', pred);
  return tape.record('mse', {
    out,
    inputs: [pred, target],
    forward() {
      const n = pred.size;
      const p = pred.value;
      const t = target.value;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const d = p[i]! - t[i]!;
        s += d * d;
      }
      out.value[0] = s / n;
    },
    backward() {
      const n = pred.size;
      const k = (2 * out.grad[0]!) / n;
      const p = pred.value;
      const t = target.value;
      const g = pred.grad;
      for (let i = 0; i < n; i++) g[i]! += k * (p[i]! - t[i]!);
    },
  });
}

/**
 * Binary cross-entropy on logits, mean over every element, in the stable form
 * max(x, 0) - x·t + log(1 + e^-|x|). Targets are probabilities in [0, 1].
 */
export function binaryCrossEntropyWithLogits(tape: Tape, logits: Var, target: Var): Var {
  checkTargets(tape, 'binary_cross_entropy', logits, target);
  const out = scalarOut(tape, 'binary_cross_entropy', logits);
  return tape.record('binary_cross_entropy', {
    out,
    inputs: [logits, target],
    forward() {
      const n = logits.size;
      const x = logits.value;
      const t = target.value;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        s += Math.max(v, 0) - v * t[i]! + Math.log1p(Math.exp(-Math.abs(v)));
      }
      out.value[0] = s / n;
    },
    backward() {
      const n = logits.size;
      const k = out.grad[0]! / n;
      const x = logits.value;
      const t = target.value;
      const g = logits.grad;
      for (let i = 0; i < n; i++) g[i]! += k * (1 / (1 + Math.exp(-x[i]!)) - t[i]!);
    },
  });
}

/**
 * Softmax cross-entropy on logits [..., C], fused and stable (log-sum-exp with the row max
 * subtracted); mean over all rows (every leading position, so sequences average over time too).
 * Targets are either class ids with the logits' leading shape (`sparse`, the default), or
 * probabilities with the logits' full shape. The softmax is kept for backward: dL/dz = (p - y) / rows.
 */
export function softmaxCrossEntropy(tape: Tape, logits: Var, target: Var): Var {
  const op = 'cross_entropy';
  const classes = logits.shape[logits.rank - 1]!;
  const sparse = target.rank === logits.rank - 1;
  if (sparse) {
    if (!sameShape(target.shape, logits.shape.slice(0, -1))) {
      throw tape.error(op, `class ids of shape ${formatShape(target.shape)} do not match logits ${formatShape(logits.shape)}`);
    }
  } else {
    checkTargets(tape, op, logits, target);
  }
  const out = scalarOut(tape, op, logits);
  const node = tape.node;
  const probs = new Float32Array(logits.value.length);
  return tape.record(op, {
    out,
    inputs: [logits, target],
    forward() {
      const rows = logits.size / classes;
      const z = logits.value;
      const t = target.value;
      let total = 0;
      for (let r = 0, base = 0; r < rows; r++, base += classes) {
        let max = -Infinity;
        for (let c = 0; c < classes; c++) if (z[base + c]! > max) max = z[base + c]!;
        let sum = 0;
        for (let c = 0; c < classes; c++) {
          const e = Math.exp(z[base + c]! - max);
          probs[base + c] = e;
          sum += e;
        }
        const logSum = Math.log(sum) + max;
        for (let c = 0; c < classes; c++) probs[base + c]! /= sum;
        if (sparse) {
          const id = t[r]!;
          if (!(id >= 0 && id < classes && Number.isInteger(id))) {
            throw new EngineError(op, node, `class id ${id} at row ${r} is outside 0..${classes - 1}`);
          }
          total += logSum - z[base + id]!;
        } else {
          for (let c = 0; c < classes; c++) total += t[base + c]! * (logSum - z[base + c]!);
        }
      }
      out.value[0] = total / rows;
    },
    backward() {
      const rows = logits.size / classes;
      const k = out.grad[0]! / rows;
      const t = target.value;
      const g = logits.grad;
      const n = rows * classes;
      if (sparse) {
        for (let i = 0; i < n; i++) g[i]! += k * probs[i]!;
        for (let r = 0; r < rows; r++) g[r * classes + t[r]!]! -= k;
      } else {
        // With probability targets that sum to 1, d/dz = p - y.
        for (let r = 0, base = 0; r < rows; r++, base += classes) {
          let mass = 0;
          for (let c = 0; c < classes; c++) mass += t[base + c]!;
          for (let c = 0; c < classes; c++) g[base + c]! += k * (mass * probs[base + c]! - t[base + c]!);
        }
      }
    },
  });
}
