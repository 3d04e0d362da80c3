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

/** Probabilities are clipped to [PROB_EPSILON, 1 - PROB_EPSILON] before the log, as Keras does. */
export const PROB_EPSILON = 1e-7;

/**
 * Cross-entropy on probabilities that a Softmax (or Sigmoid, for one unit) already produced, for
 * graphs that end in an explicit activation before the output (Keras's from_logits=False).
 * Sparse class ids [...] for probabilities [..., C] with C > 1: mean of -log p[y].
 * One unit [..., 1] with targets in [0, 1]: mean of -(t log p + (1-t) log(1-p)).
 * Clipped probabilities get no gradient, as with Keras's clip.
 */
export function crossEntropyOnProbabilities(tape: Tape, probs: Var, target: Var): Var {
  const classes = probs.shape[probs.rank - 1]!;
  const binary = classes === 1;
  const op = binary ? 'binary_cross_entropy' : 'cross_entropy';
  if (binary) checkTargets(tape, op, probs, target);
  else if (!sameShape(target.shape, probs.shape.slice(0, -1))) {
    throw tape.error(op, `class ids of shape ${formatShape(target.shape)} do not match probabilities ${formatShape(probs.shape)}`);
  }
  const out = scalarOut(tape, op, probs);
  const node = tape.node;
  const lo = PROB_EPSILON;
  const hi = 1 - PROB_EPSILON;
  return tape.record(op, {
    out,
    inputs: [probs, target],
    forward() {
      const p = probs.value;
      const t = target.value;
      let total = 0;
      if (binary) {
        const n = probs.size;
        for (let i = 0; i < n; i++) {
          const q = Math.min(hi, Math.max(lo, p[i]!));
          total -= t[i]! * Math.log(q) + (1 - t[i]!) * Math.log(1 - q);
        }
        out.value[0] = total / n;
        return;
      }
      const rows = probs.size / classes;
      for (let r = 0; r < rows; r++) {
        const id = t[r]!;
        if (!(id >= 0 && id < classes && Number.isInteger(id))) throw new EngineError(op, node, `class id ${id} at row ${r} is outside 0..${classes - 1}`);
        total -= Math.log(Math.min(hi, Math.max(lo, p[r * classes + id]!)));
      }
      out.value[0] = total / rows;
    },
    backward() {
      const p = probs.value;
      const t = target.value;
      const g = probs.grad;
      if (binary) {
        const n = probs.size;
        const k = out.grad[0]! / n;
        for (let i = 0; i < n; i++) {
          const q = p[i]!;
          if (q > lo && q < hi) g[i]! += k * (-t[i]! / q + (1 - t[i]!) / (1 - q));
        }
        return;
      }
      const rows = probs.size / classes;
      const k = out.grad[0]! / rows;
      for (let r = 0; r < rows; r++) {
        const i = r * classes + t[r]!;
        const q = p[i]!;
        if (q > lo && q < hi) g[i]! -= k / q;
      }
    },
  });
}
