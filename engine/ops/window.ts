import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

/**
 * Geometry shared by the sliding-window ops (conv2d, pooling), with TensorFlow's padding rules:
 * - 'valid': no padding; out = floor((size - window) / stride) + 1.
 * - 'same': out = ceil(size / stride); the total padding (out - 1)·stride + window - size is split
 *   with the smaller half before (top / left), as TF does.
 */
export type Padding = 'same' | 'valid';

export interface WindowAxis {
  /** Output length along the axis. */
  readonly out: number;
  /** Padding before the first input element (top or left). */
  readonly padBefore: number;
}

export function windowAxis(size: number, window: number, stride: number, padding: Padding): WindowAxis {
  if (padding === 'valid') return { out: Math.floor((size - window) / stride) + 1, padBefore: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** Reads a `number | [h, w]` option as a pair of positive integers, or throws naming the option. */
export function pairOption(tape: Tape, op: string, name: string, value: number | readonly [number, number]): [number, number] {
  const pair: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  if (!pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw tape.error(op, `${name} must be positive whole numbers, got ${formatShape(pair)}`);
  }
  return pair;
}

export function checkPadding(tape: Tape, op: string, padding: string): Padding {
  if (padding !== 'same' && padding !== 'valid') throw tape.error(op, `padding must be 'same' or 'valid', got '${padding}'`);
  return padding;
}

/** Checks that x is an NHWC image batch and returns [height, width, channels]. */
export function imageDims(tape: Tape, op: string, x: Var): [number, number, number] {
  if (x.rank !== 4) {
    throw tape.error(op, `the input must be 4-D [batch, height, width, channels], got ${formatShape(x.shape)}`);
  }
  return [x.shape[1]!, x.shape[2]!, x.shape[3]!];
}

/** Checks that a 'valid' window fits in the input: "a 3×3 kernel with 'valid' padding needs an input at least 3×3, got 2×2". */
export function checkWindowFits(
  tape: Tape, op: string, what: string, padding: Padding, h: number, w: number, kh: number, kw: number,
): void {
  if (padding === 'valid' && (kh > h || kw > w)) {
    throw tape.error(op, `a ${kh}×${kw} ${what} with 'valid' padding needs an input at least ${kh}×${kw}, got ${h}×${w}`);
  }
}
