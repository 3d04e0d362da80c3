import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { EngineError } from '../core/errors';
import { sizeOf, type Shape } from '../core/shape';
import { initialize, type InitializerConfig } from './initializers';

// The two initializers the recurrent layers use beyond the variance-scaling family: Keras's
// Orthogonal (recurrent kernels) and constant blocks (an LSTM bias with its forget gate at 1).

function draw(shape: Shape, config: InitializerConfig, seed = 1): Float32Array {
  const values = new Float32Array(sizeOf(shape));
  initialize(values, shape, config, new Rng(seed));
  return values;
}

/** M·Mᵀ (rows) or Mᵀ·M (columns) of an r×c matrix, in float64. */
function gram(m: Float32Array, rows: number, cols: number, of: 'rows' | 'columns'): number[][] {
  const n = of === 'rows' ? rows : cols;
  const len = of === 'rows' ? cols : rows;
  const at = (i: number, k: number): number => (of === 'rows' ? m[i * cols + k]! : m[k * cols + i]!);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
    return s;
  }));
}

function expectIdentity(g: number[][], scale = 1): void {
  g.forEach((row, i) => row.forEach((v, j) => expect(v, `(${i}, ${j})`).toBeCloseTo(i === j ? scale : 0, 5)));
}

describe('orthogonal initializer (Keras Orthogonal)', () => {
  it('a wide matrix [u, 4u] (an LSTM recurrent kernel) gets orthonormal rows', () => {
    expectIdentity(gram(draw([8, 32], { kind: 'orthogonal' }), 8, 32, 'rows'));
  });

  it('a tall matrix gets orthonormal columns, a square one is orthogonal both ways', () => {
    expectIdentity(gram(draw([30, 7], { kind: 'orthogonal' }), 30, 7, 'columns'));
    const sq = draw([16, 16], { kind: 'orthogonal' });
    expectIdentity(gram(sq, 16, 16, 'rows'));
    expectIdentity(gram(sq, 16, 16, 'columns'));
  });

  it('reads more axes as [product of the leading axes, last axis], and scales by the gain', () => {
    expectIdentity(gram(draw([2, 3, 4], { kind: 'orthogonal' }), 6, 4, 'columns'));
    expectIdentity(gram(draw([3, 9], { kind: 'orthogonal', gain: 2 }), 3, 9, 'rows'), 4);
  });

  it('is random but reproducible: same seed, same matrix; another seed, another matrix', () => {
    expect(draw([6, 24], { kind: 'orthogonal' }, 5)).toEqual(draw([6, 24], { kind: 'orthogonal' }, 5));
    expect(draw([6, 24], { kind: 'orthogonal' }, 5)).not.toEqual(draw([6, 24], { kind: 'orthogonal' }, 6));
  });

  it('refuses a vector and a non-finite gain', () => {
    expect(() => draw([5], { kind: 'orthogonal' })).toThrow(EngineError);
    expect(() => draw([5], { kind: 'orthogonal' })).toThrow(/needs a matrix/);
    expect(() => draw([2, 2], { kind: 'orthogonal', gain: NaN })).toThrow(/finite gain/);
  });
});

describe('blocks initializer', () => {
  it('fills equal consecutive blocks with their values (an LSTM bias with the forget gate at 1)', () => {
    expect(Array.from(draw([8], { kind: 'blocks', values: [0, 1, 0, 0] }))).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(draw([2, 3], { kind: 'blocks', values: [-1, 2] }))).toEqual([-1, -1, -1, 2, 2, 2]);
  });

  it('refuses a size that does not split evenly', () => {
    expect(() => draw([7], { kind: 'blocks', values: [0, 1] })).toThrow(/2 equal blocks/);
    expect(() => draw([4], { kind: 'blocks', values: [] })).toThrow(EngineError);
  });
});
