import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

export interface LayerNormOptions {
  /** Added to the variance; default 1e-5. */
  epsilon?: number;
}

/**
 * Layer normalization over the last axis: each row (one token, one sample) is normalized by its
 * own mean and biased variance, then y = gamma · xhat + beta with gamma, beta of shape [D].
 * Unlike batch norm there is no running state and training and eval behave the same.
 */
export function layerNorm(tape: Tape, x: Var, gamma: Var, beta: Var, options: LayerNormOptions = {}): Var {
  const op = 'layernorm';
  const epsilon = options.epsilon ?? 1e-5;
  if (x.rank < 1) throw tape.error(op, `the input needs a feature axis, got ${formatShape(x.shape)}`);
  const d = x.shape[x.rank - 1]!;
  for (const [name, v] of [['gamma', gamma], ['beta', beta]] as const) {
    if (v.batched || v.rank !== 1 || v.shape[0] !== d) {
      throw tape.error(op, `${name} has shape ${formatShape(v.shape)}, but the input's last axis has ${d} feature${d === 1 ? '' : 's'} (expected [${d}])`);
    }
  }
  if (!(epsilon > 0)) throw tape.error(op, `epsilon must be positive, got ${epsilon}`);

  const out = tape.output(op, x.shape, x.batched, x.requiresGrad || gamma.requiresGrad || beta.requiresGrad);
  const maxRows = x.value.length / d;
  // Per row, kept from forward for backward.
  const rowMean = new Float64Array(maxRows);
  const rowInvStd = new Float64Array(maxRows);

  return tape.record(op, {
    out,
    inputs: [x, gamma, beta],
    forward() {
      const xv = x.value;
      const y = out.value;
      const gv = gamma.value;
      const bv = beta.value;
      const rows = x.size / d;
      for (let r = 0, o = 0; r < rows; r++, o += d) {
        let sum = 0;
        for (let j = 0; j < d; j++) sum += xv[o + j]!;
        const mean = sum / d;
        let sq = 0;
        for (let j = 0; j < d; j++) {
          const dev = xv[o + j]! - mean;
          sq += dev * dev;
        }
        const invStd = 1 / Math.sqrt(sq / d + epsilon);
        rowMean[r] = mean;
        rowInvStd[r] = invStd;
        for (let j = 0; j < d; j++) y[o + j] = gv[j]! * (xv[o + j]! - mean) * invStd + bv[j]!;
      }
    },
    backward() {
      const xv = x.value;
      const gy = out.grad;
      const gv = gamma.value;
      const rows = x.size / d;
      const gammaGrad = gamma.requiresGrad;
      const betaGrad = beta.requiresGrad;
      for (let r = 0, o = 0; r < rows; r++, o += d) {
        const mean = rowMean[r]!;
        const invStd = rowInvStd[r]!;
        // With dxhat = g·gamma: dx = invStd·(dxhat - mean(dxhat) - xhat·mean(dxhat·xhat)).
        let sumDxhat = 0;
        let sumDxhatXhat = 0;
        for (let j = 0; j < d; j++) {
          const g = gy[o + j]!;
          const xhat = (xv[o + j]! - mean) * invStd;
          const dxhat = g * gv[j]!;
          sumDxhat += dxhat;
          sumDxhatXhat += dxhat * xhat;
          if (gammaGrad) gamma.grad[j]! += g * xhat;
          if (betaGrad) beta.grad[j]! += g;
        }
        if (!x.requiresGrad) continue;
        const gx = x.grad;
        const meanDxhat = sumDxhat / d;
        const meanDxhatXhat = sumDxhatXhat / d;
        for (let j = 0; j < d; j++) {
          const xhat = (xv[o + j]! - mean) * invStd;
          gx[o + j]! += invStd * (gy[o + j]! * gv[j]! - meanDxhat - xhat * meanDxhatXhat);
        }
      }
    },
  });
}
