/**
 * Generated sequence datasets, for recurrent layers and attention: forecasting the next value of
 * a noisy series, and recalling a token seen many steps earlier. Seeded like the 2D generators:
 * the same options give bit-identical data.
 */
import { DatasetError } from './types';
import { resolve, resolveClasses, SYNTHETIC_DEFAULTS, wholeOption } from './synthetic';
import type { SyntheticGenerator } from './synthetic';

/** Bounds of the sequence options (the model schema checks the same ones). */
export const SEQUENCE_LIMITS = {
  seqLength: { min: 2, max: 256 },
  distance: { min: 1, max: 100 },
  /** Sample values (count × time steps) one generated dataset may hold: 16 MB of floats. */
  values: 4_000_000,
} as const;

export function resolveSeqLength(id: string, value: number): number {
  return wholeOption(id, 'seqLength', value, SEQUENCE_LIMITS.seqLength.min, SEQUENCE_LIMITS.seqLength.max);
}

function checkSize(id: string, count: number, steps: number): void {
  if (count * steps > SEQUENCE_LIMITS.values) {
    throw new DatasetError(
      `${id}: ${count.toLocaleString('en-US')} samples of ${steps} steps is ${(count * steps).toLocaleString('en-US')} values; the limit is ${SEQUENCE_LIMITS.values.toLocaleString('en-US')}. Use fewer samples or shorter sequences.`,
    );
  }
}

/** The clean series: a slow sine (period 20 steps) plus a weaker fast one (period 7 steps). */
export function forecastSeries(t: number, phaseSlow: number, phaseFast: number): number {
  return 0.7 * Math.sin((2 * Math.PI * t) / 20 + phaseSlow) + 0.3 * Math.sin((2 * Math.PI * t) / 7 + phaseFast);
}

/**
 * Next-value forecasting. Each sample is its own stretch of the series (both phases uniform in
 * [0, 2π)), so samples are independent and a shuffled split leaks nothing. Input: `seqLength`
 * values, shape [T, 1]; target: the value after them, shape [1]. Noise: Gaussian with std
 * 0.3 × noise on every value, the target included (the best possible MSE is that variance).
 */
export const sineForecast: SyntheticGenerator = (options = {}) => {
  const id = 'sine_forecast';
  const { count, noise, rng } = resolve(id, options);
  const steps = resolveSeqLength(id, options.seqLength ?? SYNTHETIC_DEFAULTS.sine_forecast.seqLength);
  checkSize(id, count, steps);
  const x = new Float32Array(count * steps);
  const y = new Float32Array(count);
  const std = 0.3 * noise;
  for (let i = 0; i < count; i++) {
    const slow = rng.range(0, 2 * Math.PI);
    const fast = rng.range(0, 2 * Math.PI);
    for (let t = 0; t < steps; t++) x[i * steps + t] = forecastSeries(t, slow, fast) + std * rng.normal();
    y[i] = forecastSeries(steps, slow, fast) + std * rng.normal();
  }
  return {
    info: {
      id,
      name: 'Sine forecast',
      task: 'regression',
      inputShape: [steps, 1],
      targetShape: [1],
      featureNames: ['value'],
      targetName: 'next value',
      count,
      description: `Predict the next value of a noisy sum of two sines from the last ${steps}`,
      kind: 'synthetic',
    },
    x,
    y,
  };
};

/** The token that marks the symbol to recall; its id is `classes` (the symbols are 0..classes-1). */
export const RECALL_MARKER = '#';

/**
 * Recall the letter after a marker, at least `distance` steps back. Each sequence has
 * 2·distance + 2 tokens, all random symbols (A, B, C, ... one of `classes`, ids 0..classes-1)
 * except a marker '#' (id `classes`) at a random position p in [0, distance]; the target is the
 * symbol right after it (a class id), which lies between `distance` and 2·distance steps before
 * the last token. Input: token ids, shape [T].
 *
 * Because the marker moves, the network must decide what to keep when it sees it and then hold
 * it through later symbols of the same kind, which is what an LSTM's gates do. A simple RNN's
 * state mixes every symbol it reads; measured here (Embedding 8 → 32 units → Dense, Adam 0.01,
 * 1,000 samples) it stays at chance from distance 10, where an LSTM reaches 100% in about 15
 * epochs. Samples are interleaved by class (sample i recalls symbol i mod classes).
 */
export const recall: SyntheticGenerator = (options = {}) => {
  const id = 'recall';
  const { count, rng } = resolve(id, options);
  const classes = resolveClasses(id, options.classes ?? SYNTHETIC_DEFAULTS.recall.classes);
  const distance = wholeOption(id, 'distance', options.distance ?? SYNTHETIC_DEFAULTS.recall.distance, SEQUENCE_LIMITS.distance.min, SEQUENCE_LIMITS.distance.max);
  const steps = 2 * distance + 2;
  checkSize(id, count, steps);
  const symbols = Array.from({ length: classes }, (_, c) => String.fromCharCode(65 + c));
  const x = new Float32Array(count * steps);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const row = i * steps;
    for (let t = 0; t < steps; t++) x[row + t] = rng.int(classes);
    const marker = rng.int(distance + 1);
    const c = i % classes;
    x[row + marker] = classes;
    x[row + marker + 1] = c;
    y[i] = c;
  }
  return {
    info: {
      id,
      name: 'Recall a token',
      task: classes === 2 ? 'binary' : 'multiclass',
      inputShape: [steps],
      targetShape: [],
      numClasses: classes,
      classNames: symbols,
      vocabSize: classes + 1,
      vocabulary: [...symbols, RECALL_MARKER],
      count,
      description: `Name the letter after the # marker, ${distance} to ${2 * distance} steps back: a simple RNN forgets it, an LSTM keeps it`,
      kind: 'synthetic',
    },
    x,
    y,
  };
};
