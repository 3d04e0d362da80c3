import { describe, expect, it } from 'vitest';
import { createTrainingRun } from '../engine/train/run';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { withEvalPasses } from './sequence';
import { cnnView, type CnnView } from './cnn';

describe('the CNN view', () => {
  it('shows a Conv2D layer’s filters and, for one test image, the feature maps of every convolution and pooling layer, as the plan computes them', async () => {
    const { plan, trainer, split } = await createTrainingRun(loadExample('mnist-cnn.json'), readDatasetFile);
    for (let s = 0; s < 20; s++) trainer.trainStep();
    const view = withEvalPasses(plan, () => cnnView(plan, split, 'n1', 3)) as CnnView;
    expect('error' in view).toBe(false);

    // Conv2D 8 filters of 3×3 over 1 channel: each filter is its column of the kernel [3, 3, 1, 8].
    const kernel = plan.nodes.find((n) => n.id === 'n1')!.params[0]!.value;
    const bias = plan.nodes.find((n) => n.id === 'n1')!.params[1]!.value;
    const { filters } = view;
    expect([filters.kh, filters.kw, filters.inputs, filters.outputs, filters.shownInputs, filters.shownOutputs]).toEqual([3, 3, 1, 8, 1, 8]);
    for (let o = 0; o < 8; o++) for (let k = 0; k < 9; k++) expect(filters.weights[o * 9 + k]).toBe(kernel[k * 8 + o]);
    expect(filters.scale).toBe(Math.max(...Array.from(kernel.subarray(0, 72), Math.abs)));

    // Conv, pool, conv, pool, in order (the ReLUs between are not image layers of their own).
    expect(view.layers.map((l) => [l.nodeId, l.height, l.width, l.channels, l.shown])).toEqual([
      ['n1', 28, 28, 8, 8],
      ['n3', 14, 14, 8, 8],
      ['n4', 14, 14, 16, 16],
      ['n6', 7, 7, 16, 16],
    ]);
    expect(view.sample.index).toBe(3);
    expect(view.sample.label).toBe(split.info.classNames?.[split.test.y[3]!] ?? String(split.test.y[3]));

    // Independently: the first convolution at a few places ('same' padding, zeros outside), from the test image itself.
    const image = split.test.x.subarray(3 * 784, 4 * 784);
    const px = (y: number, x: number) => (y < 0 || y >= 28 || x < 0 || x >= 28 ? 0 : image[y * 28 + x]!);
    const conv = (c: number, y: number, x: number) => {
      let sum = bias[c]!;
      for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) sum += px(y + ky - 1, x + kx - 1) * kernel[(ky * 3 + kx) * 8 + c]!;
      return sum;
    };
    const [first, pool] = view.layers;
    for (const [c, y, x] of [[0, 0, 0], [3, 14, 9], [7, 27, 20], [5, 10, 13]] as const) expect(first!.values[(c * 28 + y) * 28 + x]).toBeCloseTo(conv(c, y, x), 5);
    // Max pooling 2×2 of the ReLU of it.
    for (const [c, y, x] of [[2, 5, 6], [6, 7, 7]] as const) {
      const window = [conv(c, 2 * y, 2 * x), conv(c, 2 * y + 1, 2 * x), conv(c, 2 * y, 2 * x + 1), conv(c, 2 * y + 1, 2 * x + 1)].map((v) => Math.max(0, v));
      expect(pool!.values[(c * 14 + y) * 14 + x]).toBeCloseTo(Math.max(...window), 5);
    }
    // The image, as gray pixels.
    expect(view.sample.pixels[14 * 28 + 9]).toBe(Math.round(Math.min(1, Math.max(0, image[14 * 28 + 9]!)) * 255));
  });

  it('refuses a layer without filters, with a reason', async () => {
    const { plan, split } = await createTrainingRun(loadExample('mnist-cnn.json'), readDatasetFile);
    expect(cnnView(plan, split, 'n9', 0)).toEqual({ error: 'This layer has no filters to show (is it a Conv2D layer that reaches the output?).' });
  });
});
