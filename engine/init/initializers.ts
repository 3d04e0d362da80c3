/**
 * Weight initializers: fill a Float32Array in place from a seeded Rng, so the same seed gives the
 * same weights bit for bit. Fans and the variance-scaling family follow Keras
 * (keras.initializers.VarianceScaling):
 *   glorot (Xavier): variance 1/fanAvg, fanAvg = (fanIn + fanOut)/2
 *   he (Kaiming):    variance 2/fanIn
 *   lecun:           variance 1/fanIn
 * "Uniform" draws from ±√(3·variance); "Normal" is Keras's truncated normal: a normal cut at two
 * standard deviations (values beyond are redrawn) whose σ is divided by 0.8796 so the variance is
 * still the target. (PyTorch's kaiming_normal_/xavier_normal_ use an untruncated normal; TF.js's
 * VarianceScaling truncates without the 0.8796 correction, so its variance is 0.77× the target.)
 */
import { EngineError } from '../core/errors';
import type { Rng } from '../core/rng';
import { formatShape, sizeOf, type Shape } from '../core/shape';

export type InitializerConfig =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  /** Uniform in [min, max); Keras's RandomUniform defaults are ±0.05. */
  | { kind: 'uniform'; min?: number; max?: number }
  /** Keras's RandomNormal defaults: mean 0, std 0.05. */
  | { kind: 'normal'; mean?: number; std?: number }
  /** Normal redrawn beyond two std from the mean (Keras's TruncatedNormal; std is before truncation). */
  | { kind: 'truncatedNormal'; mean?: number; std?: number }
  | { kind: 'glorotUniform' }
  | { kind: 'glorotNormal' }
  | { kind: 'heUniform' }
  | { kind: 'heNormal' }
  | { kind: 'lecunUniform' }
  | { kind: 'lecunNormal' }
  /**
   * A random orthogonal matrix (Keras's Orthogonal, the default for recurrent kernels): the shape
   * is read as a matrix [product of the leading axes, last axis]; a tall one gets orthonormal
   * columns, a wide one ([units, 4·units] for an LSTM) orthonormal rows; times `gain` (default 1).
   */
  | { kind: 'orthogonal'; gain?: number }
  /**
   * The flat tensor cut into `values.length` equal consecutive blocks, block k filled with
   * values[k]: an LSTM bias [i | f | g | o] with the forget block at 1 (Keras's unit_forget_bias).
   */
  | { kind: 'blocks'; values: readonly number[] };

export type InitializerKind = InitializerConfig['kind'];

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Keras's compute_fans. Dense [in, out]: fanIn = in, fanOut = out. A convolution kernel
 * [...spatial, cin, cout] (channels-last, e.g. conv2d [kh, kw, cin, cout]): with r the product
 * of the spatial dims, fanIn = r·cin and fanOut = r·cout. A vector [n]: both n. A scalar: both 1.
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptiveField = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptiveField, fanOut: shape[shape.length - 1]! * receptiveField };
}

/** The standard deviation of a standard normal truncated to [-2, 2] (scipy.stats.truncnorm.std(-2, 2)). */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

export type VarianceScalingKind = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunUniform' | 'lecunNormal';

const VARIANCE_SCALING: Record<VarianceScalingKind, { scale: number; mode: 'fanIn' | 'fanAvg'; uniform: boolean }> = {
  glorotUniform: { scale: 1, mode: 'fanAvg', uniform: true },
  glorotNormal: { scale: 1, mode: 'fanAvg', uniform: false },
  heUniform: { scale: 2, mode: 'fanIn', uniform: true },
  heNormal: { scale: 2, mode: 'fanIn', uniform: false },
  lecunUniform: { scale: 1, mode: 'fanIn', uniform: true },
  lecunNormal: { scale: 1, mode: 'fanIn', uniform: false },
};

/** The variance a variance-scaling initializer aims for on this shape (as Keras: fans below 1 count as 1). */
export function targetVariance(kind: VarianceScalingKind, shape: Shape): number {
  const vs = VARIANCE_SCALING[kind];
  const { fanIn, fanOut } = computeFans(shape);
  const fan = vs.mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
  return vs.scale / Math.max(1, fan);
}

/** Fills `values` (the weights of a tensor of `shape`) as `config` says, drawing from `rng`. */
export function initialize(values: Float32Array, shape: Shape, config: InitializerConfig, rng: Rng): void {
  if (values.length !== sizeOf(shape)) throw initError(`${values.length} values do not fill shape ${formatShape(shape)}`);
  switch (config.kind) {
    case 'zeros':
      values.fill(0);
      return;
    case 'ones':
      values.fill(1);
      return;
    case 'constant':
      values.fill(config.value);
      return;
    case 'uniform': {
      const min = config.min ?? -0.05;
      const max = config.max ?? 0.05;
      if (!(max > min && Number.isFinite(max - min))) throw initError(`uniform needs finite min < max, got [${min}, ${max})`);
      fillUniform(values, min, max, rng);
      return;
    }
    case 'normal':
      fillNormal(values, config.mean ?? 0, checkStd(config.std ?? 0.05), rng);
      return;
    case 'truncatedNormal':
      fillTruncatedNormal(values, config.mean ?? 0, checkStd(config.std ?? 0.05), rng);
      return;
    case 'orthogonal':
      fillOrthogonal(values, shape, config.gain ?? 1, rng);
      return;
    case 'blocks': {
      const k = config.values.length;
      if (k < 1 || values.length % k !== 0) throw initError(`${values.length} values do not split into ${k} equal blocks`);
      const size = values.length / k;
      for (let b = 0; b < k; b++) values.fill(config.values[b]!, b * size, (b + 1) * size);
      return;
    }
    default: {
      const variance = targetVariance(config.kind, shape);
      if (VARIANCE_SCALING[config.kind].uniform) {
        const limit = Math.sqrt(3 * variance);
        fillUniform(values, -limit, limit, rng);
      } else {
        fillTruncatedNormal(values, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STD, rng);
      }
    }
  }
}

/**
 * The variance-scaling family an activation asks of the weights that feed it (its layer module
 * says which: `ActivationFacts.suggestedInit`). He for the ReLU family, which zeroes or shrinks
 * half its input and so needs twice the variance to keep activations' scale (He et al. 2015);
 * LeCun for selu, whose self-normalising fixed point assumes it (Klambauer et al. 2017); Glorot
 * for tanh, sigmoid, softmax, linear, and as Keras's default for every layer.
 */
export type InitFamily = 'he' | 'glorot' | 'lecun';

/** The initializer 'Auto' picks for a kernel: the normal or uniform variant Keras uses for each family, Glorot uniform when nothing is suggested. */
export function defaultInitializerFor(family?: InitFamily): InitializerConfig {
  if (family === 'he') return { kind: 'heNormal' };
  if (family === 'lecun') return { kind: 'lecunNormal' };
  return { kind: 'glorotUniform' };
}

function initError(detail: string): EngineError {
  return new EngineError('initializer', undefined, detail);
}

function checkStd(std: number): number {
  if (!(std >= 0 && Number.isFinite(std))) throw initError(`std must be a finite number >= 0, got ${std}`);
  return std;
}

function fillUniform(values: Float32Array, min: number, max: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = rng.range(min, max);
}

function fillNormal(values: Float32Array, mean: number, std: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = mean + std * rng.normal();
}

/**
 * As Keras's Orthogonal: a normal matrix [max(r, c), min(r, c)] (r rows, c columns as the shape
 * reads as a matrix) made orthonormal column by column (modified Gram-Schmidt in float64, which
 * is the QR decomposition with R's diagonal positive, as Keras's sign correction makes it), then
 * transposed when the shape is wide.
 */
function fillOrthogonal(values: Float32Array, shape: Shape, gain: number, rng: Rng): void {
  if (shape.length < 2) throw initError(`orthogonal needs a matrix (at least 2 axes), got shape ${formatShape(shape)}`);
  if (!Number.isFinite(gain)) throw initError(`orthogonal needs a finite gain, got ${gain}`);
  const cols = shape[shape.length - 1]!;
  const rows = values.length / cols;
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  // q holds the m columns of length n, column after column.
  const q = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) q[j * n + i] = rng.normal();
  for (let j = 0; j < m; j++) {
    const qj = j * n;
    for (let k = 0; k < j; k++) {
      const qk = k * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[qk + i]! * q[qj + i]!;
      for (let i = 0; i < n; i++) q[qj + i]! -= dot * q[qk + i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[qj + i]! * q[qj + i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[qj + i]! /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Tall: entry (r, c) of Q [n × m]; wide: entry (r, c) of Qᵀ.
      values[r * cols + c] = gain * (rows >= cols ? q[c * n + r]! : q[r * n + c]!);
    }
  }
}

function fillTruncatedNormal(values: Float32Array, mean: number, std: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) {
    let z = rng.normal();
    while (z < -2 || z > 2) z = rng.normal();
    values[i] = mean + std * z;
  }
}
