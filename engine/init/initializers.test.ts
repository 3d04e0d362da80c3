import { describe, expect, it } from 'vitest';
import {
  computeFans,
  defaultInitializerFor,
  initialize,
  targetVariance,
  TRUNCATED_NORMAL_STD,
  type InitializerConfig,
  type VarianceScalingKind,
} from './initializers';
import { Rng } from '../core/rng';
import { sizeOf, type Shape } from '../core/shape';
import { EngineError } from '../core/errors';

// Tolerances: on n = 100,000 draws the sample variance has a relative standard error of about
// √(2/n) = 0.45% (less for uniform and truncated draws), so we allow 5% (over 10 standard errors);
// the sample mean must lie within 5·σ/√n of the target. Draws are seeded, so the tests are
// deterministic; the margins say the statistics, not luck, make them pass.

function draw(shape: Shape, config: InitializerConfig, seed = 1): Float32Array {
  const values = new Float32Array(sizeOf(shape));
  initialize(values, shape, config, new Rng(seed));
  return values;
}

function moments(v: Float32Array): { mean: number; variance: number; min: number; max: number; maxAbs: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, variance: sq / (v.length - 1), min, max, maxAbs: Math.max(-min, max) };
}

function expectStatistics(v: Float32Array, mean: number, variance: number): void {
  const m = moments(v);
  expect(Math.abs(m.mean - mean)).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(v.length));
  expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.05);
}

describe('computeFans (Keras)', () => {
  it.each<[string, Shape, number, number]>([
    ['dense [in, out]', [3, 5], 3, 5],
    ['conv2d [kh, kw, cin, cout]', [3, 3, 16, 32], 3 * 3 * 16, 3 * 3 * 32],
    ['conv1d [k, cin, cout]', [5, 8, 4], 5 * 8, 5 * 4],
    ['vector [n]', [7], 7, 7],
    ['scalar []', [], 1, 1],
  ])('%s', (_, shape, fanIn, fanOut) => {
    expect(computeFans(shape)).toEqual({ fanIn, fanOut });
  });

  it('sets the target variances: He 2/fanIn, LeCun 1/fanIn, Glorot 2/(fanIn + fanOut)', () => {
    expect(targetVariance('heNormal', [3, 3, 16, 32])).toBeCloseTo(2 / 144, 12);
    expect(targetVariance('lecunUniform', [20, 10])).toBeCloseTo(1 / 20, 12);
    expect(targetVariance('glorotUniform', [20, 10])).toBeCloseTo(2 / 30, 12);
  });
});

describe('variance scaling on 100,000 draws: dense [250, 400] (fanIn 250, fanOut 400)', () => {
  const shape = [250, 400];
  const cases: [VarianceScalingKind, number][] = [
    ['heNormal', 2 / 250],
    ['heUniform', 2 / 250],
    ['lecunNormal', 1 / 250],
    ['lecunUniform', 1 / 250],
    ['glorotNormal', 2 / (250 + 400)],
    ['glorotUniform', 2 / (250 + 400)],
  ];

  it.each(cases)('%s has mean 0 and variance %f', (kind, variance) => {
    expectStatistics(draw(shape, { kind }), 0, variance);
  });

  it.each(cases.filter(([k]) => k.endsWith('Uniform')))('%s stays within ±√(3·variance) and reaches its edges', (kind, variance) => {
    const limit = Math.sqrt(3 * variance);
    const { maxAbs } = moments(draw(shape, { kind }));
    expect(maxAbs).toBeLessThanOrEqual(Math.fround(limit));
    expect(maxAbs).toBeGreaterThan(0.999 * limit);
  });

  it.each(cases.filter(([k]) => k.endsWith('Normal')))('%s is truncated at two (pre-truncation) standard deviations', (kind, variance) => {
    const cut = (2 * Math.sqrt(variance)) / TRUNCATED_NORMAL_STD;
    const { maxAbs } = moments(draw(shape, { kind }));
    expect(maxAbs).toBeLessThanOrEqual(Math.fround(cut));
    expect(maxAbs).toBeGreaterThan(0.99 * cut);
  });

  it('He normal on a conv kernel [3, 3, 32, 64] uses fanIn = 3·3·32 = 288', () => {
    expectStatistics(draw([3, 3, 32, 64], { kind: 'heNormal' }), 0, 2 / 288);
  });
});

describe('plain distributions', () => {
  it('zeros, ones and constant fill every value', () => {
    expect(Array.from(draw([2, 3], { kind: 'zeros' }))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(draw([4], { kind: 'ones' }))).toEqual([1, 1, 1, 1]);
    expect(Array.from(draw([3], { kind: 'constant', value: 0.25 }))).toEqual([0.25, 0.25, 0.25]);
  });

  it('uniform stays in [min, max) with variance (max − min)²/12; defaults to ±0.05', () => {
    const v = draw([100_000], { kind: 'uniform', min: -1, max: 3 });
    const m = moments(v);
    expect(m.min).toBeGreaterThanOrEqual(-1);
    expect(m.max).toBeLessThanOrEqual(3);
    expect(m.max).toBeGreaterThan(2.999);
    expectStatistics(v, 1, 16 / 12);
    expect(moments(draw([1000], { kind: 'uniform' })).maxAbs).toBeLessThanOrEqual(Math.fround(0.05));
  });

  it('normal has the given mean and std', () => {
    expectStatistics(draw([100_000], { kind: 'normal', mean: 3, std: 2 }), 3, 4);
  });

  it('truncatedNormal (Keras): std is before truncation, so the spread is 0.8796·std, within mean ± 2·std', () => {
    const v = draw([100_000], { kind: 'truncatedNormal', mean: 1, std: 0.5 });
    expectStatistics(v, 1, (0.5 * TRUNCATED_NORMAL_STD) ** 2);
    const m = moments(v);
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(m.max).toBeLessThanOrEqual(2);
  });
});

describe('reproducibility', () => {
  const kinds: InitializerConfig[] = [{ kind: 'heNormal' }, { kind: 'glorotUniform' }, { kind: 'normal' }, { kind: 'truncatedNormal' }];

  it.each(kinds)('$kind: the same seed gives the same bits, another seed other values', (config) => {
    const a = draw([30, 20], config, 42);
    const b = draw([30, 20], config, 42);
    expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
    expect(Array.from(draw([30, 20], config, 43))).not.toEqual(Array.from(a));
  });
});

describe('errors', () => {
  it('names the shape a wrong-sized buffer does not fill', () => {
    const run = (): void => initialize(new Float32Array(5), [2, 3], { kind: 'heNormal' }, new Rng(0));
    expect(run).toThrow(EngineError);
    expect(run).toThrow('initializer: 5 values do not fill shape [2, 3]');
  });

  it('rejects an empty uniform range and a negative std', () => {
    expect(() => draw([2], { kind: 'uniform', min: 1, max: 1 })).toThrow('initializer: uniform needs finite min < max, got [1, 1)');
    expect(() => draw([2], { kind: 'normal', std: -1 })).toThrow('initializer: std must be a finite number >= 0, got -1');
  });
});

describe('defaultInitializerFor', () => {
  // Which activation suggests which family is each layer module's fact (registry.test.ts checks them).
  it('he → He normal', () => expect(defaultInitializerFor('he')).toEqual({ kind: 'heNormal' }));
  it('lecun → LeCun normal', () => expect(defaultInitializerFor('lecun')).toEqual({ kind: 'lecunNormal' }));
  it.each([undefined, 'glorot'] as const)('%s → Glorot uniform (Keras default)', (a) => expect(defaultInitializerFor(a)).toEqual({ kind: 'glorotUniform' }));
});
