import { gemm, reserveGemm } from '../kernels/gemm';
import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';
import { checkPadding, checkWindowFits, imageDims, pairOption, windowAxis, type Padding } from './window';

export interface Conv2dOptions {
  /** Step of the window, [down, across] or one number for both; default 1 (as Keras). */
  strides?: number | readonly [number, number];
  /** TensorFlow's 'same' or 'valid'; default 'valid' (as Keras). */
  padding?: Padding;
}

/** Target size (floats) of the per-chunk dCol scratch: small enough to stay in cache while it is scattered. */
const DCOL_CHUNK = 1 << 16;

/**
 * 2-D convolution (cross-correlation, as TF), NHWC: x [B, H, W, Cin] · w [KH, KW, Cin, Cout] → [B, OH, OW, Cout].
 * No bias: add one with a broadcasting add.
 *
 * im2col lays every output position's receptive field out as one row of `col` [B·OH·OW, KH·KW·Cin]
 * (column order kh, kw, cin, the order of w's rows), so the convolution is one product col · w.
 * Backward: dw += colᵀ · dy, and dx gets dcol = dy · wᵀ scattered back (col2im).
 *
 * Padding: each output position copies, per kernel row, one contiguous run of input (its valid
 * columns × Cin, contiguous in NHWC). The runs are tabulated at record time; the padded entries of
 * `col` are never written, so they stay zero and the copy loops have no bounds tests.
 * A 1×1 kernel with stride 1 needs no im2col: col is x itself.
 */
export function conv2d(tape: Tape, x: Var, w: Var, options: Conv2dOptions = {}): Var {
  const op = 'conv2d';
  const [sh, sw] = pairOption(tape, op, 'strides', options.strides ?? 1);
  const padding = checkPadding(tape, op, options.padding ?? 'valid');
  const [h, wd, cin] = imageDims(tape, op, x);
  if (w.rank !== 4) {
    throw tape.error(op, `the kernel must be 4-D [height, width, in channels, out channels], got ${formatShape(w.shape)}`);
  }
  if (w.batched) throw tape.error(op, `the kernel must be a weight, not a batched tensor ${formatShape(w.shape)}`);
  const [kh, kw, kcin, cout] = w.shape as [number, number, number, number];
  if (kcin !== cin) throw tape.error(op, `input has ${cin} channel${cin === 1 ? '' : 's'}, but the kernel expects ${kcin}`);
  checkWindowFits(tape, op, 'kernel', padding, h, wd, kh, kw);

  const rows = windowAxis(h, kh, sh, padding);
  const cols = windowAxis(wd, kw, sw, padding);
  const oh = rows.out;
  const ow = cols.out;
  const maxImages = x.shape[0]!;
  const out = tape.output(op, [maxImages, oh, ow, cout], x.batched, x.requiresGrad || w.requiresGrad);

  const positions = oh * ow; // rows of col per image
  const k = kh * kw * cin; // columns of col
  const inImage = h * wd * cin;
  const outImage = positions * cout;
  const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1;
  // For a 1×1 stride-1 kernel col is x itself (read from x at run time).
  const col = direct ? null : tape.floats(maxImages * positions * k);
  const runs = direct ? null : receptiveRuns(h, wd, cin, kh, kw, sh, sw, rows.padBefore, cols.padBefore, oh, ow);

  // dcol is produced and scattered a few images at a time, so its scratch stays small.
  const chunkImages = Math.max(1, Math.min(maxImages, Math.floor(DCOL_CHUNK / (positions * k))));
  const dcol = direct || !x.requiresGrad ? null : tape.floats(chunkImages * positions * k);

  // The same copies as packed (src, dst, len) triples in the arena, for the WebAssembly kernels.
  const packedRuns = runs ? packRuns(tape, runs) : null;
  const k32 = packedRuns && col ? tape.arena.kernelsFor(packedRuns, x.value, col) : undefined;
  const kBack = k32 && dcol ? tape.arena.kernelsFor(dcol, x.grad) : undefined;
  const colImage = positions * k;

  const maxRows = maxImages * positions;
  reserveGemm(maxRows, cout, k); // forward: col · w
  if (w.requiresGrad) reserveGemm(k, cout, maxRows); // colᵀ · dy
  if (x.requiresGrad) reserveGemm(direct ? maxRows : chunkImages * positions, k, cout); // dy · wᵀ

  return tape.record(op, {
    out,
    inputs: [x, w],
    forward() {
      const images = out.size / outImage;
      if (k32) k32.copyRuns(packedRuns!.byteOffset, runs!.src.length, x.value.byteOffset, col!.byteOffset, images, inImage, colImage);
      else if (runs && col) im2col(runs, x.value, col, images, inImage, colImage);
      gemm(false, false, images * positions, cout, k, col ?? x.value, 0, w.value, 0, out.value, 0, false);
    },
    backward() {
      const images = out.size / outImage;
      const dy = out.grad;
      if (w.requiresGrad) gemm(true, false, k, cout, images * positions, col ?? x.value, 0, dy, 0, w.grad, 0, true);
      if (!x.requiresGrad) return;
      if (!runs || !dcol) {
        gemm(false, true, images * positions, k, cout, dy, 0, w.value, 0, x.grad, 0, true);
        return;
      }
      for (let b0 = 0; b0 < images; b0 += chunkImages) {
        const n = Math.min(chunkImages, images - b0);
        gemm(false, true, n * positions, k, cout, dy, b0 * outImage, w.value, 0, dcol, 0, false);
        if (kBack) kBack.addRuns(packedRuns!.byteOffset, runs.src.length, dcol.byteOffset, x.grad.byteOffset, b0, n, inImage, colImage);
        else col2im(runs, dcol, x.grad, b0, n, inImage, colImage);
      }
    },
  });
}

/**
 * The contiguous copies that build one image's rows of col: run r copies len[r] floats from
 * src[r] (offset in the image) to dst[r] (offset in col from the image's first row).
 */
interface Runs {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly len: Int32Array;
}

function receptiveRuns(
  h: number, w: number, cin: number, kh: number, kw: number, sh: number, sw: number,
  padTop: number, padLeft: number, oh: number, ow: number,
): Runs {
  const k = kh * kw * cin;
  const src: number[] = [];
  const dst: number[] = [];
  const len: number[] = [];
  for (let y = 0; y < oh; y++) {
    const top = y * sh - padTop;
    const i0 = Math.max(0, -top);
    const i1 = Math.min(kh, h - top);
    for (let x = 0; x < ow; x++) {
      const left = x * sw - padLeft;
      const j0 = Math.max(0, -left);
      const j1 = Math.min(kw, w - left);
      const p = y * ow + x;
      for (let i = i0; i < i1; i++) {
        src.push(((top + i) * w + left + j0) * cin);
        dst.push(p * k + (i * kw + j0) * cin);
        len.push((j1 - j0) * cin);
      }
    }
  }
  return { src: Int32Array.from(src), dst: Int32Array.from(dst), len: Int32Array.from(len) };
}

/** The runs as (src, dst, len) int32 triples in the tape's arena. */
function packRuns(tape: Tape, runs: Runs): Int32Array {
  const packed = tape.arena.ints(runs.src.length * 3);
  for (let r = 0; r < runs.src.length; r++) {
    packed[3 * r] = runs.src[r]!;
    packed[3 * r + 1] = runs.dst[r]!;
    packed[3 * r + 2] = runs.len[r]!;
  }
  return packed;
}

/** Copies the receptive fields of `images` images into col (padded entries are left at zero). */
function im2col(runs: Runs, x: Float32Array, col: Float32Array, images: number, inImage: number, colImage: number): void {
  const { src, dst, len } = runs;
  const count = src.length;
  for (let b = 0; b < images; b++) {
    const xb = b * inImage;
    const cb = b * colImage;
    for (let r = 0; r < count; r++) {
      let s = xb + src[r]!;
      let d = cb + dst[r]!;
      const end = d + len[r]!;
      while (d < end) col[d++] = x[s++]!;
    }
  }
}

/** Adds dcol (images b0 .. b0 + n, starting at dcol's first row) back onto the input positions it was copied from. */
function col2im(runs: Runs, dcol: Float32Array, gx: Float32Array, b0: number, n: number, inImage: number, colImage: number): void {
  const { src, dst, len } = runs;
  const count = src.length;
  for (let b = 0; b < n; b++) {
    const xb = (b0 + b) * inImage;
    const cb = b * colImage;
    for (let r = 0; r < count; r++) {
      let s = xb + src[r]!;
      let d = cb + dst[r]!;
      const end = d + len[r]!;
      while (d < end) gx[s++]! += dcol[d++]!;
    }
  }
}
