/**
 * Single-precision matrix multiply, the kernel under matmul, dense and conv2d.
 *
 *   C[M×N] = (accumulate ? C : 0) + op(A)[M×K] · op(B)[K×N]
 *
 * op(A) is A stored row-major as M×K, or its transpose stored as K×M when transA is set;
 * likewise B (K×N, or N×K when transB). Offsets let callers address one matrix of a batch
 * without making views.
 *
 * The kernel packs A into panels of 4 rows and B into panels of 4 columns (zero padded) and
 * computes each 4×4 tile of C in 16 local accumulators, so the inner loop reads two
 * contiguous streams.
 *
 * When A, B and C all live in one WebAssembly arena (engine/core/arena.ts), the product runs in
 * the arena's SIMD kernel (engine/kernels/assembly/gemm.ts) instead, in place: same contract,
 * sums in float32 rather than float64, split across helper threads when the arena has them
 * (engine/kernels/threads.ts). Anything else (a JS arena, arrays from elsewhere) runs here.
 */
import { arenaOf, type Arena } from '../core/arena';

let packA = new Float32Array(0);
let packB = new Float32Array(0);
/** One 4×4 tile of C in float64, for tiles that hang over the edge of C. */
const tile = new Float64Array(16);

/**
 * Ensures the packing buffers can hold an M×N×K product. Ops call this when they are recorded,
 * so that running the tape allocates nothing.
 */
export function reserveGemm(m: number, n: number, k: number): void {
  // Panels of 4 rows (A) and 4 columns (B), zero padded.
  const a = ((m + 3) >> 2) * 4 * k;
  const b = ((n + 3) >> 2) * 4 * k;
  if (packA.length < a) packA = new Float32Array(a);
  if (packB.length < b) packB = new Float32Array(b);
}

export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  accumulate: boolean,
): void {
  const buffer = c.buffer;
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastArena = arenaOf(buffer);
  }
  const kernels = lastArena?.kernels;
  if (kernels && a.buffer === buffer && b.buffer === buffer) {
    const arena = lastArena!;
    if (arena.threads) {
      arena.threads.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k,
        a.byteOffset + aOff * 4, b.byteOffset + bOff * 4, c.byteOffset + cOff * 4, accumulate ? 1 : 0);
    } else {
      kernels.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k,
        a.byteOffset + aOff * 4, b.byteOffset + bOff * 4, c.byteOffset + cOff * 4,
        accumulate ? 1 : 0, arena.gemmScratch);
    }
    return;
  }
  gemmJs(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
}

/** The arena of the last C seen (a step calls gemm on the same arena over and over). */
let lastBuffer: ArrayBufferLike | undefined;
let lastArena: Arena | undefined;

/** The TypeScript kernel: the same contract as gemm, for arrays outside a WebAssembly arena. */
export function gemmJs(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  reserveGemm(m, n, k);
  const ap = packA;
  const bp = packB;
  packRows(a, aOff, transA, m, k, ap);
  packCols(b, bOff, transB, k, n, bp);

  const mPanels = (m + 3) >> 2;
  const nPanels = (n + 3) >> 2;
  const k4 = k * 4;
  for (let ip = 0; ip < mPanels; ip++) {
    const aBase = ip * k4;
    const i0 = ip * 4;
    const rows = Math.min(4, m - i0);
    for (let jp = 0; jp < nPanels; jp++) {
      const j0 = jp * 4;
      const cols = Math.min(4, n - j0);
      let pa = aBase;
      let pb = jp * k4;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let kk = 0; kk < k; kk++) {
        const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
        const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        pa += 4;
        pb += 4;
      }
      const base = cOff + i0 * n + j0;
      if (rows === 4 && cols === 4) {
        if (accumulate) {
          let o = base;
          c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03; o += n;
          c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13; o += n;
          c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23; o += n;
          c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
        } else {
          let o = base;
          c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
          c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
          c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
          c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
        }
      } else {
        const t = tile;
        t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
        t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
        t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
        t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
        storeEdgeTile(c, base, n, rows, cols, accumulate);
      }
    }
  }
}

/** Writes the valid part of a tile that hangs over the edge of C. */
function storeEdgeTile(c: Float32Array, base: number, n: number, rows: number, cols: number, accumulate: boolean): void {
  const t = tile;
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const o = base + r * n + q;
      c[o] = (accumulate ? c[o]! : 0) + t[r * 4 + q]!;
    }
  }
}

/** Packs op(A) (M×K) into panels of 4 rows: panel p holds rows 4p..4p+3, k-major, zero padded. */
function packRows(a: Float32Array, off: number, trans: boolean, m: number, k: number, out: Float32Array): void {
  const panels = (m + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    const base = p * k * 4;
    for (let r = 0; r < 4; r++) {
      const i = p * 4 + r;
      if (i >= m) {
        for (let kk = 0; kk < k; kk++) out[base + kk * 4 + r] = 0;
      } else if (trans) {
        // A stored K×M: element (i, kk) at kk*m + i.
        for (let kk = 0, src = off + i; kk < k; kk++, src += m) out[base + kk * 4 + r] = a[src]!;
      } else {
        for (let kk = 0, src = off + i * k; kk < k; kk++, src++) out[base + kk * 4 + r] = a[src]!;
      }
    }
  }
}

/** Packs op(B) (K×N) into panels of 4 columns: panel p holds columns 4p..4p+3, k-major, zero padded. */
function packCols(b: Float32Array, off: number, trans: boolean, k: number, n: number, out: Float32Array): void {
  const panels = (n + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    const base = p * k * 4;
    const j0 = p * 4;
    const cols = Math.min(4, n - j0);
    if (!trans && cols === 4) {
      // B stored K×N: the 4 columns of one k are contiguous.
      for (let kk = 0, src = off + j0, dst = base; kk < k; kk++, src += n, dst += 4) {
        out[dst] = b[src]!;
        out[dst + 1] = b[src + 1]!;
        out[dst + 2] = b[src + 2]!;
        out[dst + 3] = b[src + 3]!;
      }
      continue;
    }
    for (let q = 0; q < 4; q++) {
      const j = j0 + q;
      if (j >= n) {
        for (let kk = 0; kk < k; kk++) out[base + kk * 4 + q] = 0;
      } else if (trans) {
        // B stored N×K: element (kk, j) at j*k + kk.
        for (let kk = 0, src = off + j * k; kk < k; kk++, src++) out[base + kk * 4 + q] = b[src]!;
      } else {
        for (let kk = 0, src = off + j; kk < k; kk++, src += n) out[base + kk * 4 + q] = b[src]!;
      }
    }
  }
}
