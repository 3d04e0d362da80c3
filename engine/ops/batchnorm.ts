import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/** A batch norm layer's running statistics: state, not parameters (the optimizer never sees them). */
export interface BatchNormState {
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
}

/** Fresh running statistics for `channels` channels: mean 0, variance 1 (as Keras initializes them). */
export function batchNormState(channels: number): BatchNormState {
  return { runningMean: new Float32Array(channels), runningVar: new Float32Array(channels).fill(1) };
}

/**
 * The defaults, which the layer shows. Momentum is Keras's convention (the share of the old
 * running average kept each step) at PyTorch's value (its momentum=0.1 is the share of the new
 * batch): Keras's 0.99 averages over ~100 steps, and the weights move meanwhile, so evaluation
 * lagged the model by 5–15 points of accuracy on the spiral (see the layer's help).
 */
export const BATCHNORM_DEFAULTS = { momentum: 0.9, epsilon: 1e-3 } as const;

export interface BatchNormOptions {
  /** running = momentum·running + (1 - momentum)·batch; default BATCHNORM_DEFAULTS.momentum. */
  momentum?: number;
  /** Added to the variance; default 1e-3 (as Keras). */
  epsilon?: number;
}

/**
 * Batch normalization over every axis but the last (channels-last: [B, F], [B, T, F], [B, H, W, C]):
 * y = gamma · (x - mean) / sqrt(var + epsilon) + beta, per channel.
 *
 * In training mode (tape.training when the forward pass runs) mean and var are the live batch's
 * statistics (biased variance), the gradient flows through them, and the running statistics in
 * `state` move towards them. In eval mode the running statistics are used as constants, so the op
 * is affine in x.
 *
 * As in Keras, a small batch gives poor statistics: one row per channel (an epoch's last batch
 * of a single sample, for a [B, F] input) has variance 0, so every output is beta and x gets no
 * gradient. PyTorch refuses such a batch. Here it trains (gamma and beta still learn), but it leaves
 * the running statistics as they were: averaging its variance of 0 in would shrink the evaluation
 * statistics once an epoch.
 */
export function batchNorm(tape: Tape, x: Var, gamma: Var, beta: Var, state: BatchNormState, options: BatchNormOptions = {}): Var {
  const op = 'batchnorm';
  const momentum = options.momentum ?? BATCHNORM_DEFAULTS.momentum;
  const epsilon = options.epsilon ?? BATCHNORM_DEFAULTS.epsilon;
  if (x.rank < 2) throw tape.error(op, `the input needs a batch axis and a channel axis, got ${formatShape(x.shape)}`);
  const c = x.shape[x.rank - 1]!;
  for (const [name, v] of [['gamma', gamma], ['beta', beta]] as const) {
    if (v.batched || v.rank !== 1 || v.shape[0] !== c) {
      throw tape.error(op, `${name} has shape ${formatShape(v.shape)}, but the input has ${c} channel${c === 1 ? '' : 's'} (expected [${c}])`);
    }
  }
  if (state.runningMean.length !== c || state.runningVar.length !== c) {
    throw tape.error(op, `the running statistics hold ${state.runningMean.length} channels, but the input has ${c}`);
  }
  if (!(momentum >= 0 && momentum <= 1)) throw tape.error(op, `momentum must be between 0 and 1, got ${momentum}`);
  if (!(epsilon > 0)) throw tape.error(op, `epsilon must be positive, got ${epsilon}`);

  const out = tape.output(op, x.shape, x.batched, x.requiresGrad || gamma.requiresGrad || beta.requiresGrad);
  const { runningMean, runningVar } = state;
  // Per channel: the statistics the last forward pass used, and float64 accumulators.
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const invStd = new Float64Array(c);
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  const sumG = new Float64Array(c);
  const sumGXhat = new Float64Array(c);
  // Which statistics the forward pass used, so backward matches it even if tape.training changed since.
  let usedBatchStats = true;

  return tape.record(op, {
    out,
    inputs: [x, gamma, beta],
    forward() {
      const xv = x.value;
      const y = out.value;
      const size = x.size;
      const rows = size / c;
      usedBatchStats = tape.training;
      if (usedBatchStats) {
        mean.fill(0);
        variance.fill(0);
        for (let r = 0; r < size; r += c) for (let ch = 0; ch < c; ch++) mean[ch]! += xv[r + ch]!;
        for (let ch = 0; ch < c; ch++) mean[ch]! /= rows;
        // Two passes: the variance from squared deviations, which cannot go negative.
        for (let r = 0; r < size; r += c) {
          for (let ch = 0; ch < c; ch++) {
            const d = xv[r + ch]! - mean[ch]!;
            variance[ch]! += d * d;
          }
        }
        for (let ch = 0; ch < c; ch++) {
          variance[ch]! /= rows;
          invStd[ch] = 1 / Math.sqrt(variance[ch]! + epsilon);
        }
        // One row per channel has no spread: its variance of 0 would drag the evaluation statistics toward 0.
        if (rows > 1) {
          for (let ch = 0; ch < c; ch++) {
            runningMean[ch] = momentum * runningMean[ch]! + (1 - momentum) * mean[ch]!;
            runningVar[ch] = momentum * runningVar[ch]! + (1 - momentum) * variance[ch]!;
          }
        }
      } else {
        for (let ch = 0; ch < c; ch++) {
          mean[ch] = runningMean[ch]!;
          invStd[ch] = 1 / Math.sqrt(runningVar[ch]! + epsilon);
        }
      }
      const gv = gamma.value;
      const bv = beta.value;
      for (let ch = 0; ch < c; ch++) {
        scale[ch] = gv[ch]! * invStd[ch]!;
        shift[ch] = bv[ch]! - mean[ch]! * gv[ch]! * invStd[ch]!;
      }
      for (let r = 0; r < size; r += c) for (let ch = 0; ch < c; ch++) y[r + ch] = xv[r + ch]! * scale[ch]! + shift[ch]!;
    },
    backward() {
      const xv = x.value;
      const gy = out.grad;
      const size = x.size;
      const rows = size / c;
      sumG.fill(0);
      sumGXhat.fill(0);
      for (let r = 0; r < size; r += c) {
        for (let ch = 0; ch < c; ch++) {
          const g = gy[r + ch]!;
          sumG[ch]! += g;
          sumGXhat[ch]! += g * (xv[r + ch]! - mean[ch]!) * invStd[ch]!;
        }
      }
      if (gamma.requiresGrad) for (let ch = 0; ch < c; ch++) gamma.grad[ch]! += sumGXhat[ch]!;
      if (beta.requiresGrad) for (let ch = 0; ch < c; ch++) beta.grad[ch]! += sumG[ch]!;
      if (!x.requiresGrad) return;
      const gx = x.grad;
      if (!usedBatchStats) {
        for (let r = 0; r < size; r += c) for (let ch = 0; ch < c; ch++) gx[r + ch]! += gy[r + ch]! * scale[ch]!;
        return;
      }
      // Through the batch statistics: dx = gamma·invStd·(g - mean(g) - xhat·mean(g·xhat)).
      for (let ch = 0; ch < c; ch++) {
        sumG[ch]! /= rows;
        sumGXhat[ch]! /= rows;
      }
      for (let r = 0; r < size; r += c) {
        for (let ch = 0; ch < c; ch++) {
          const xhat = (xv[r + ch]! - mean[ch]!) * invStd[ch]!;
          gx[r + ch]! += scale[ch]! * (gy[r + ch]! - sumG[ch]! - xhat * sumGXhat[ch]!);
        }
      }
    },
  });
}
