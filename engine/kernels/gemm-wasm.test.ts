import { describe, expect, it } from 'vitest';
import { Arena } from '../core/arena';
import { Rng } from '../core/rng';
import { gemm, gemmJs } from './gemm';
import { wasmKernelsSupported } from './wasm';

/** C = op(A)·op(B) in float64, the reference both kernels are held to. */
function reference(tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c0: Float32Array | null): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 ? c0[i * n + j]! : 0;
      for (let kk = 0; kk < k; kk++) s += a[tA ? kk * m + i : i * k + kk]! * b[tB ? j * k + kk : kk * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

describe('the WebAssembly SIMD matrix kernel', () => {
  it('is available under Node (the engine runs its SIMD path in tests and benchmarks)', () => {
    expect(wasmKernelsSupported()).toBe(true);
    expect(Arena.wasm(1024).path).toBe('wasm');
  });

  // Sizes that hit every edge: rows left over after blocks of 4, columns after panels of 8, K across
  // the 256-wide slice and N across the 512-wide slice, and the degenerate 1s.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 5, 7], [4, 8, 1], [5, 9, 3], [17, 33, 19], [64, 10, 128], [2, 600, 3], [6, 7, 300], [33, 513, 257],
  ];
  for (const [m, n, k] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const acc of [false, true]) {
          it(`${m}×${n}×${k}${tA ? ' Aᵀ' : ''}${tB ? ' Bᵀ' : ''}${acc ? ' accumulating' : ''}: matches float64 and the TypeScript kernel`, () => {
            const arena = Arena.wasm(4 * (m * k + k * n + 2 * m * n + 64) + 4096);
            const rng = new Rng(m * 1000 + n * 10 + k);
            // Offsets inside the arrays, as matmul uses for one matrix of a batch.
            const aOff = 3, bOff = 5, cOff = 2;
            const a = arena.floats(aOff + m * k);
            const b = arena.floats(bOff + k * n);
            const c = arena.floats(cOff + m * n + 4);
            for (let i = 0; i < a.length; i++) a[i] = rng.range(-1, 1);
            for (let i = 0; i < b.length; i++) b[i] = rng.range(-1, 1);
            for (let i = 0; i < c.length; i++) c[i] = rng.range(-1, 1);
            const before = c.slice();
            const cJs = c.slice();
            expect(arena.overflowBytes).toBe(0);

            gemm(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, acc);
            gemmJs(tA, tB, m, n, k, a, aOff, b, bOff, cJs, cOff, acc);

            const want = reference(tA, tB, m, n, k, a.subarray(aOff), b.subarray(bOff), acc ? before.subarray(cOff, cOff + m * n) : null);
            for (let i = 0; i < m * n; i++) {
              // float32 sums of k products of numbers in [-1, 1]: error grows like √k·eps.
              expect(Math.abs(c[cOff + i]! - want[i]!)).toBeLessThan(1e-6 * (4 + Math.sqrt(k) * 4));
              expect(Math.abs(c[cOff + i]! - cJs[cOff + i]!)).toBeLessThan(1e-6 * (4 + Math.sqrt(k) * 4));
            }
            // Nothing outside C's m×n block is touched.
            for (let i = 0; i < cOff; i++) expect(c[i]).toBe(before[i]);
            for (let i = cOff + m * n; i < c.length; i++) expect(c[i]).toBe(before[i]);
          });
        }
      }
    }
  }

  it('runs the TypeScript kernel when an operand is outside the arena', () => {
    const arena = Arena.wasm(4096);
    const a = arena.floats(4);
    a.set([1, 2, 3, 4]);
    const b = Float32Array.from([1, 0, 0, 1]);
    const c = arena.floats(4);
    gemm(false, false, 2, 2, 2, a, 0, b, 0, c, 0, false);
    expect([...c]).toEqual([1, 2, 3, 4]);
  });

  it('serves a request past its capacity from the heap and counts it', () => {
    // The memory is whole 64 KiB pages, so a 64-byte arena has room for a little under a page.
    const arena = Arena.wasm(64);
    const inside = arena.floats(16);
    const outside = arena.floats(1 << 16);
    expect(inside.buffer).toBe(arena.buffer);
    expect(outside.buffer).not.toBe(arena.buffer);
    expect(outside.length).toBe(1 << 16);
    expect(arena.overflowBytes).toBe(4 << 16);
    expect(arena.usedBytes).toBe(64 + (4 << 16));
  });
});
