import type { Tape, Var } from '../core/tape';
import { checkPadding, checkWindowFits, imageDims, pairOption, windowAxis, type Padding } from './window';

export interface Pool2dOptions {
  /** Window size, [down, across] or one number for both; default 2 (as Keras). */
  poolSize?: number | readonly [number, number];
  /** Step of the window; defaults to poolSize (as Keras). */
  strides?: number | readonly [number, number];
  /** TensorFlow's 'same' or 'valid'; default 'valid' (as Keras). */
  padding?: Padding;
}

/**
 * One image's pooling windows, clipped to the input (padding never takes part, as in TF):
 * output position p reads the input pixels at offsets taps[start[p] .. start[p + 1]] (pixel
 * offsets, already multiplied by the channel count; add the channel).
 */
interface Windows {
  readonly out: Var;
  readonly channels: number;
  readonly inImage: number;
  readonly positions: number;
  readonly start: Int32Array;
  readonly taps: Int32Array;
}

function poolWindows(tape: Tape, op: string, x: Var, options: Pool2dOptions): Windows {
  const [ph, pw] = pairOption(tape, op, 'poolSize', options.poolSize ?? 2);
  const [sh, sw] = pairOption(tape, op, 'strides', options.strides ?? [ph, pw]);
  const padding = checkPadding(tape, op, options.padding ?? 'valid');
  const [h, w, c] = imageDims(tape, op, x);
  checkWindowFits(tape, op, 'pool', padding, h, w, ph, pw);
  const rows = windowAxis(h, ph, sh, padding);
  const cols = windowAxis(w, pw, sw, padding);

  const start = tape.arena.ints(rows.out * cols.out + 1);
  const taps: number[] = [];
  for (let y = 0; y < rows.out; y++) {
    const top = y * sh - rows.padBefore;
    for (let x = 0; x < cols.out; x++) {
      const left = x * sw - cols.padBefore;
      for (let i = Math.max(0, top); i < Math.min(h, top + ph); i++) {
        for (let j = Math.max(0, left); j < Math.min(w, left + pw); j++) taps.push((i * w + j) * c);
      }
      start[y * cols.out + x + 1] = taps.length;
    }
  }
  const out = tape.output(op, [x.shape[0]!, rows.out, cols.out, c], x.batched, x.requiresGrad);
  const tapTable = tape.arena.ints(taps.length);
  tapTable.set(taps);
  return { out, channels: c, inImage: h * w * c, positions: rows.out * cols.out, start, taps: tapTable };
}

/**
 * Max pooling, NHWC, TF semantics. The forward pass records, per output element, the index of the
 * input element that won (the first maximum in the window, as TF.js), and backward routes the
 * gradient there.
 */
export function maxPool2d(tape: Tape, x: Var, options: Pool2dOptions = {}): Var {
  const { out, channels: c, inImage, positions, start, taps } = poolWindows(tape, 'maxpool2d', x, options);
  const argmax = tape.arena.ints(out.value.length);
  // The WebAssembly SIMD loops (the same floats and winners) when everything is in the arena.
  const k = tape.arena.kernelsFor(x.value, out.value, argmax, start, taps);
  const kBack = k && x.requiresGrad ? tape.arena.kernelsFor(out.grad, x.grad) : undefined;
  return tape.record('maxpool2d', {
    out,
    inputs: [x],
    forward() {
      if (k) {
        k.maxPoolForward(x.value.byteOffset, out.value.byteOffset, argmax.byteOffset, start.byteOffset, taps.byteOffset,
          out.size / (positions * c), positions, c, inImage);
        return;
      }
      const xv = x.value;
      const y = out.value;
      const images = out.size / (positions * c);
      for (let b = 0, o = 0; b < images; b++) {
        const xb = b * inImage;
        for (let p = 0; p < positions; p++, o += c) {
          const t0 = start[p]!;
          const t1 = start[p + 1]!;
          const first = xb + taps[t0]!;
          for (let ch = 0; ch < c; ch++) {
            y[o + ch] = xv[first + ch]!;
            argmax[o + ch] = first + ch;
          }
          for (let t = t0 + 1; t < t1; t++) {
            const s = xb + taps[t]!;
            for (let ch = 0; ch < c; ch++) {
              const v = xv[s + ch]!;
              if (v > y[o + ch]!) {
                y[o + ch] = v;
                argmax[o + ch] = s + ch;
              }
            }
          }
        }
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      if (kBack) {
        kBack.maxPoolBackward(out.grad.byteOffset, x.grad.byteOffset, argmax.byteOffset, out.size);
        return;
      }
      const gx = x.grad;
      const gy = out.grad;
      const n = out.size;
      for (let i = 0; i < n; i++) gx[argmax[i]!]! += gy[i]!;
    },
  });
}

/**
 * Average pooling, NHWC, TF semantics: with 'same' padding a window at the border averages only
 * the input elements it covers (padding is not counted as zeros).
 */
export function avgPool2d(tape: Tape, x: Var, options: Pool2dOptions = {}): Var {
  const { out, channels: c, inImage, positions, start, taps } = poolWindows(tape, 'avgpool2d', x, options);
  const inverseCount = new Float32Array(positions);
  for (let p = 0; p < positions; p++) inverseCount[p] = 1 / (start[p + 1]! - start[p]!);
  return tape.record('avgpool2d', {
    out,
    inputs: [x],
    forward() {
      const xv = x.value;
      const y = out.value;
      const images = out.size / (positions * c);
      for (let b = 0, o = 0; b < images; b++) {
        const xb = b * inImage;
        for (let p = 0; p < positions; p++, o += c) {
          const t0 = start[p]!;
          const t1 = start[p + 1]!;
          const first = xb + taps[t0]!;
          for (let ch = 0; ch < c; ch++) y[o + ch] = xv[first + ch]!;
          for (let t = t0 + 1; t < t1; t++) {
            const s = xb + taps[t]!;
            for (let ch = 0; ch < c; ch++) y[o + ch]! += xv[s + ch]!;
          }
          const k = inverseCount[p]!;
          for (let ch = 0; ch < c; ch++) y[o + ch]! *= k;
        }
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      const gx = x.grad;
      const gy = out.grad;
      const images = out.size / (positions * c);
      for (let b = 0, o = 0; b < images; b++) {
        const xb = b * inImage;
        for (let p = 0; p < positions; p++, o += c) {
          const k = inverseCount[p]!;
          for (let t = start[p]!, t1 = start[p + 1]!; t < t1; t++) {
            const s = xb + taps[t]!;
            for (let ch = 0; ch < c; ch++) gx[s + ch]! += k * gy[o + ch]!;
          }
        }
      }
    },
  });
}

/** Mean over height and width: [B, H, W, C] → [B, C] (Keras GlobalAveragePooling2D). */
export function globalAvgPool2d(tape: Tape, x: Var): Var {
  const op = 'global_avgpool2d';
  const [h, w, c] = imageDims(tape, op, x);
  const pixels = h * w;
  const out = tape.output(op, [x.shape[0]!, c], x.batched, x.requiresGrad);
  // Sums of up to H·W values are kept in float64 so large images lose no precision.
  const sums = new Float64Array(c);
  return tape.record(op, {
    out,
    inputs: [x],
    forward() {
      const xv = x.value;
      const y = out.value;
      const images = out.size / c;
      for (let b = 0; b < images; b++) {
        sums.fill(0);
        for (let i = 0, s = b * pixels * c; i < pixels; i++, s += c) {
          for (let ch = 0; ch < c; ch++) sums[ch]! += xv[s + ch]!;
        }
        for (let ch = 0; ch < c; ch++) y[b * c + ch] = sums[ch]! / pixels;
      }
    },
    backward() {
      if (!x.requiresGrad) return;
      const gx = x.grad;
      const gy = out.grad;
      const images = out.size / c;
      const k = 1 / pixels;
      for (let b = 0; b < images; b++) {
        const o = b * c;
        for (let i = 0, s = b * pixels * c; i < pixels; i++, s += c) {
          for (let ch = 0; ch < c; ch++) gx[s + ch]! += k * gy[o + ch]!;
        }
      }
    },
  });
}
