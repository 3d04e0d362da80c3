import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, type Conv2dOptions } from './conv2d';
import { gradCheck } from '../testing/gradcheck';
import { assertMatchesTf, compareWithTf, tf, tfReady } from '../testing/oracle';
import { Tape } from '../core/tape';
import { EngineError } from '../core/errors';
import { countAllocations } from '../testing/alloc';

// Tolerances: finite differences (eps 1e-3, float64 loss over float32 forwards) with the helper's
// rtol 1e-2, atol 1e-3. TF.js (float32, different summation order over up to 72 products) must
// agree to rtol 1e-4, atol 1e-5 (the oracle's defaults).

interface Case {
  name: string;
  /** Input [H, W, Cin] (without batch) and kernel [KH, KW, Cin, Cout]. */
  x: [number, number, number];
  w: [number, number, number, number];
  options: Conv2dOptions;
}

const cases: Case[] = [
  { name: "3×3 'same' stride 1", x: [5, 5, 2], w: [3, 3, 2, 3], options: { padding: 'same' } },
  { name: "3×3 'valid' stride [2, 1]", x: [6, 5, 2], w: [3, 3, 2, 2], options: { padding: 'valid', strides: [2, 1] } },
  { name: "2×3 'same' stride 2, odd sizes (asymmetric padding)", x: [7, 6, 3], w: [2, 3, 3, 2], options: { padding: 'same', strides: 2 } },
  { name: "4×4 'same' stride 3 (padding on both sides)", x: [5, 7, 1], w: [4, 4, 1, 2], options: { padding: 'same', strides: 3 } },
  { name: "1×1 stride 1 (no im2col)", x: [3, 4, 3], w: [1, 1, 3, 5], options: { padding: 'same' } },
  { name: "1×1 stride 2", x: [5, 4, 2], w: [1, 1, 2, 3], options: { padding: 'valid', strides: 2 } },
  { name: "kernel as large as the input, 'valid'", x: [3, 2, 2], w: [3, 2, 2, 4], options: { padding: 'valid' } },
];

beforeAll(tfReady);

describe('conv2d', () => {
  it.each(cases)('matches finite differences: $name', ({ x: xs, w: ws, options }) => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', xs, { requiresGrad: true });
        const w = t.param('w', ws);
        return { out: conv2d(t, x, w, options), wrt: [x, w] };
      },
      maxBatch: 3,
      batch: 2,
    });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(0);
  });

  it.each(cases)('matches TF.js: $name', ({ x: xs, w: ws, options }) => {
    const strides = options.strides ?? 1;
    const r = compareWithTf({
      build: (t) => {
        const x = t.input('x', xs, { requiresGrad: true });
        const w = t.param('w', ws);
        return { out: conv2d(t, x, w, options), inputs: [x, w] };
      },
      tf: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides as [number, number], options.padding ?? 'valid'),
      maxBatch: 4,
      batch: 3,
    });
    assertMatchesTf(r);
  });

  it('gives the kernel its gradient when the input needs none (no col2im)', () => {
    const r = gradCheck({
      build: (t) => {
        const x = t.input('x', [5, 4, 2]);
        const w = t.param('w', [3, 3, 2, 2]);
        return { out: conv2d(t, x, w, { padding: 'same' }), wrt: [w] };
      },
    });
    expect(r.failures).toEqual([]);
  });

  it('allocates nothing when run, at a smaller batch too', () => {
    const t = new Tape({ maxBatch: 4 });
    const x = t.input('x', [6, 6, 2], { requiresGrad: true });
    const y1 = conv2d(t, x, t.param('w1', [3, 3, 2, 4]), { padding: 'same' });
    const y2 = conv2d(t, y1, t.param('w2', [1, 1, 4, 3]));
    const seed = new Float32Array(y2.value.length).fill(1);
    for (const batch of [4, 3]) {
      t.setBatch(batch);
      expect(countAllocations(() => {
        t.forward();
        t.backwardFrom(y2, seed);
      })).toBe(0);
    }
  });

  it("computes TF's output sizes for 'same' and 'valid'", () => {
    const t = new Tape({ maxBatch: 2 });
    const x = t.input('x', [28, 28, 1]);
    const w = t.param('w', [3, 3, 1, 8]);
    expect(conv2d(t, x, w, { padding: 'same' }).shape).toEqual([2, 28, 28, 8]);
    expect(conv2d(t, x, w, { padding: 'valid' }).shape).toEqual([2, 26, 26, 8]);
    expect(conv2d(t, x, w, { padding: 'same', strides: 2 }).shape).toEqual([2, 14, 14, 8]);
    expect(conv2d(t, x, w, { padding: 'valid', strides: [2, 3] }).shape).toEqual([2, 13, 9, 8]);
  });
});

describe('conv2d shape errors', () => {
  const record = (x: number[], w: number[], options: Conv2dOptions = {}) => () => {
    const t = new Tape({ maxBatch: 2 });
    t.inNode('conv_1', () => conv2d(t, t.input('x', x), t.param('w', w), options));
  };

  it('names the op, the node and the channel mismatch', () => {
    expect(record([8, 8, 3], [3, 3, 4, 2])).toThrow(EngineError);
    expect(record([8, 8, 3], [3, 3, 4, 2])).toThrow('conv2d in conv_1: input has 3 channels, but the kernel expects 4');
  });

  it("explains a kernel larger than a 'valid' input", () => {
    expect(record([2, 4, 1], [3, 3, 1, 2])).toThrow("conv2d in conv_1: a 3×3 kernel with 'valid' padding needs an input at least 3×3, got 2×4");
  });

  it('explains an input that is not an image batch', () => {
    expect(record([8, 3], [3, 3, 3, 2])).toThrow('conv2d in conv_1: the input must be 4-D [batch, height, width, channels], got [2, 8, 3]');
  });

  it('explains a kernel of the wrong rank', () => {
    expect(record([8, 8, 3], [3, 3, 3])).toThrow('conv2d in conv_1: the kernel must be 4-D [height, width, in channels, out channels], got [3, 3, 3]');
  });

  it('explains bad strides and padding', () => {
    expect(record([8, 8, 3], [3, 3, 3, 2], { strides: [0, 1] })).toThrow('conv2d in conv_1: strides must be positive whole numbers, got [0, 1]');
    expect(record([8, 8, 3], [3, 3, 3, 2], { padding: 'full' as 'same' })).toThrow("conv2d in conv_1: padding must be 'same' or 'valid', got 'full'");
  });
});
