// Single-precision matrix multiply in WebAssembly SIMD (AssemblyScript).
//
//   C[M×N] = (accumulate ? C : 0) + op(A)[M×K] · op(B)[K×N]
//
// The same contract as engine/kernels/gemm.ts (the TypeScript kernel), with byte addresses in the
// arena instead of arrays and offsets (gemmStrided: and row lengths, for blocks of larger matrices). C is row-major M×N. op(A) is A stored M×K, or K×M when
// transA is set; op(B) is B stored K×N, or N×K when transB is set.
//
// Blocking: K in slices of KC and N in slices of NC. For each slice, op(B) is packed into panels of
// 8 columns (kk-major, 8 floats per kk, zero padded) in the scratch area, so the micro-kernel reads
// one contiguous stream of B. A is never packed: the micro-kernel reads 4 rows of op(A) with
// load32_splat (one float broadcast to 4 lanes), whatever A's layout, so a row step and a kk step
// are just two strides. Each 4×8 tile of C lives in 8 vector accumulators for the whole slice.
//
// Sums are in float32, in kk order within a slice: the TypeScript kernel sums in float64, so the
// two agree to float32 rounding, not bit for bit.

/** K slice: a panel of B (KC × 8 floats = 8 KB) stays in L1 while 4 rows of A stream past it. */
const KC: i32 = 256;
/** N slice: the packed slice of B (KC × NC floats = 512 KB) stays in L2. A multiple of 8. */
const NC: i32 = 512;

/** Bytes of scratch gemm needs for its packed slice of B. */
export function gemmScratchBytes(): i32 {
  return KC * NC * 4;
}

export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize, accumulate: i32, scratch: usize,
): void {
  gemmStrided(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, accumulate, scratch);
}

/**
 * gemm on sub-matrices: lda, ldb and ldc are the row lengths (in floats) of A, B and C as stored,
 * so a block of rows or columns of a larger product is computed in place. gemm is the case where
 * they are the matrices' own widths; the threaded engine gives each thread such a block.
 */
export function gemmStrided(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const cRow: usize = <usize>ldc * 4;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * cRow, 0, <usize>n * 4);
    return;
  }
  // Byte strides of op(A): element (i, kk) is at a + i·rowStride + kk·kStride.
  const rowStride: usize = transA ? 4 : <usize>lda * 4;
  const kStride: usize = transA ? <usize>lda * 4 : 4;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const add = accumulate != 0 || k0 > 0;
    const aSlice = a + <usize>k0 * kStride;
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = min(NC, n - j0);
      packB(transB, b, ldb, k0, kc, j0, nc, scratch);
      const panels = (nc + 7) >> 3;
      const cSlice = c + <usize>j0 * 4;
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const aRows = aSlice + <usize>i * rowStride;
        const cRows = cSlice + <usize>i * cRow;
        for (let p = 0; p < panels; p++) {
          const cols = min(8, nc - p * 8);
          tile4x8(aRows, rowStride, kStride, scratch + <usize>(p * kc) * 32, kc, cRows + <usize>p * 32, cRow, cols, add);
        }
      }
      for (; i < m; i++) {
        const aRow = aSlice + <usize>i * rowStride;
        const cRowAt = cSlice + <usize>i * cRow;
        for (let p = 0; p < panels; p++) {
          const cols = min(8, nc - p * 8);
          tile1x8(aRow, kStride, scratch + <usize>(p * kc) * 32, kc, cRowAt + <usize>p * 32, cols, add);
        }
      }
    }
  }
}

/**
 * One block of a threaded product (engine/kernels/threads.ts): gemmStrided with its 13 arguments
 * read as int32s from `job` onwards, in gemmStrided's order, so a helper thread passes one address.
 */
export function gemmJob(job: usize): void {
  gemmStrided(
    load<i32>(job), load<i32>(job, 4), load<i32>(job, 8), load<i32>(job, 12), load<i32>(job, 16),
    <usize>load<u32>(job, 20), load<i32>(job, 24), <usize>load<u32>(job, 28), load<i32>(job, 32),
    <usize>load<u32>(job, 36), load<i32>(job, 40), load<i32>(job, 44), <usize>load<u32>(job, 48),
  );
}

/**
 * Packs op(B)[k0 .. k0+kc, j0 .. j0+nc] into panels of 8 columns: panel p holds, for each kk,
 * the 8 floats of columns j0+8p .. j0+8p+7 (zero past nc).
 */
function packB(transB: i32, b: usize, ldb: i32, k0: i32, kc: i32, j0: i32, nc: i32, out: usize): void {
  const panels = (nc + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const cols = min(8, nc - p * 8);
    const j = j0 + p * 8;
    let dst = out + <usize>(p * kc) * 32;
    if (!transB) {
      // B stored K×N: the columns of one kk are contiguous.
      let src = b + (<usize>k0 * <usize>ldb + <usize>j) * 4;
      const step = <usize>ldb * 4;
      if (cols == 8) {
        for (let kk = 0; kk < kc; kk++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += step;
          dst += 32;
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let q = 0; q < cols; q++) store<f32>(dst + <usize>q * 4, load<f32>(src + <usize>q * 4));
          src += step;
          dst += 32;
        }
      }
    } else {
      // B stored N×K: column j of op(B) is row j of B, contiguous in kk.
      if (cols < 8) memory.fill(dst, 0, <usize>kc * 32);
      for (let q = 0; q < cols; q++) {
        let src = b + (<usize>(j + q) * <usize>ldb + <usize>k0) * 4;
        let d = dst + <usize>q * 4;
        for (let kk = 0; kk < kc; kk++) {
          store<f32>(d, load<f32>(src));
          src += 4;
          d += 32;
        }
      }
    }
  }
}

/** A 4×8 tile of C (only `cols` columns written) from 4 rows of op(A) and one packed panel of B. */
// @ts-ignore: decorator
@inline
function tile4x8(a: usize, rowStride: usize, kStride: usize, pb: usize, kc: i32, c: usize, cRow: usize, cols: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const r1 = rowStride;
  const r2 = rowStride * 2;
  const r3 = rowStride * 3;
  let pa = a;
  for (let kk = 0; kk < kc; kk++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa + r1);
    const a2 = v128.load32_splat(pa + r2);
    const a3 = v128.load32_splat(pa + r3);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    pa += kStride;
    pb += 32;
  }
  storeRow(c, c00, c01, cols, add);
  storeRow(c + cRow, c10, c11, cols, add);
  storeRow(c + cRow * 2, c20, c21, cols, add);
  storeRow(c + cRow * 3, c30, c31, cols, add);
}

/** A 1×8 tile of C, for the rows left over when M is not a multiple of 4. */
// @ts-ignore: decorator
@inline
function tile1x8(a: usize, kStride: usize, pb: usize, kc: i32, c: usize, cols: i32, add: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pa = a;
  for (let kk = 0; kk < kc; kk++) {
    const a0 = v128.load32_splat(pa);
    c0 = f32x4.add(c0, f32x4.mul(a0, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(a0, v128.load(pb, 16)));
    pa += kStride;
    pb += 32;
  }
  storeRow(c, c0, c1, cols, add);
}

/** Writes (or adds) the first `cols` of 8 floats held in lo (0..3) and hi (4..7) at c. */
// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, cols: i32, add: bool): void {
  if (cols == 8) {
    if (add) {
      v128.store(c, f32x4.add(v128.load(c), lo));
      v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
    } else {
      v128.store(c, lo);
      v128.store(c, hi, 16);
    }
    return;
  }
  for (let q = 0; q < cols; q++) {
    let v: f32;
    switch (q) {
      case 0: v = f32x4.extract_lane(lo, 0); break;
      case 1: v = f32x4.extract_lane(lo, 1); break;
      case 2: v = f32x4.extract_lane(lo, 2); break;
      case 3: v = f32x4.extract_lane(lo, 3); break;
      case 4: v = f32x4.extract_lane(hi, 0); break;
      case 5: v = f32x4.extract_lane(hi, 1); break;
      case 6: v = f32x4.extract_lane(hi, 2); break;
      default: v = f32x4.extract_lane(hi, 3); break;
    }
    const at = c + <usize>q * 4;
    store<f32>(at, add ? load<f32>(at) + v : v);
  }
}
