/**
 * What a convolutional network computes, for the Conv2D inspector: a Conv2D layer's filters (its
 * kernel, per output channel and input channel), and for one test image the feature maps of every
 * convolution and pooling layer in order — each an image-shaped output [H, W, C] whose channels
 * are pictures. Read from the training plan in eval mode, like the attention view.
 */
import type { Plan } from '../engine/compiler/plan';
import type { SplitDataset } from '../engine/data/types';
import { getLayer } from '../engine/layers/registry';
import { forwardOne } from './sequence';

/** Output channels shown per layer (filters and feature maps), and input channels per filter. */
export const CNN_VIEW_LIMITS = { channels: 16, inputs: 8 } as const;

export interface ConvFilters {
  nodeId: string;
  /** Kernel height and width. */
  kh: number;
  kw: number;
  /** The layer's input and output channels, and how many of each are shown. */
  inputs: number;
  outputs: number;
  shownInputs: number;
  shownOutputs: number;
  /** shownOutputs × shownInputs × kh × kw: filter o's kernel over input channel i at ((o * shownInputs + i) * kh + y) * kw + x. */
  weights: Float32Array;
  /** The largest |weight| of the whole kernel (the color scale's end). */
  scale: number;
}

export interface FeatureMapLayer {
  nodeId: string;
  name: string;
  type: string;
  height: number;
  width: number;
  channels: number;
  shown: number;
  /** shown × height × width: channel c at (c * height + y) * width + x. */
  values: Float32Array;
}

export interface CnnView {
  filters: ConvFilters;
  /** The test image the feature maps are of: its index, its true label, and its first channel as 8-bit gray. */
  sample: { index: number; count: number; label: string; rows: number; cols: number; pixels: Uint8Array };
  layers: FeatureMapLayer[];
}

/** The filters of Conv2D node `nodeId`, and the feature maps of test image `sample` through every convolution and pooling layer. */
export function cnnView(plan: Plan, split: SplitDataset, nodeId: string, sample: number): CnnView | { error: string } {
  const node = plan.nodes.find((n) => n.id === nodeId);
  const kernel = node?.params[0];
  if (!node || node.type !== 'conv2d' || !kernel || kernel.rank !== 4) return { error: 'This layer has no filters to show (is it a Conv2D layer that reaches the output?).' };
  const shape = split.info.inputShape;
  if (shape.length !== 3) return { error: 'Feature maps need image inputs.' };
  if (split.test.count === 0) return { error: 'The test split is empty.' };

  const [kh, kw, inputs, outputs] = kernel.shape as [number, number, number, number];
  const shownInputs = Math.min(inputs, CNN_VIEW_LIMITS.inputs);
  const shownOutputs = Math.min(outputs, CNN_VIEW_LIMITS.channels);
  const weights = new Float32Array(shownOutputs * shownInputs * kh * kw);
  let scale = 0;
  for (let k = 0; k < kernel.size; k++) scale = Math.max(scale, Math.abs(kernel.value[k]!));
  for (let o = 0; o < shownOutputs; o++)
    for (let i = 0; i < shownInputs; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) weights[((o * shownInputs + i) * kh + y) * kw + x] = kernel.value[((y * kw + x) * inputs + i) * outputs + o]!;

  const index = Math.min(Math.max(0, Math.floor(sample)), split.test.count - 1);
  const [rows, cols, channels] = shape as [number, number, number];
  const inner = rows * cols * channels;
  const image = split.test.x.subarray(index * inner, (index + 1) * inner);
  forwardOne(plan, image);
  const layers: FeatureMapLayer[] = [];
  for (const n of plan.nodes) {
    const out = n.output;
    if (getLayer(n.type)?.category !== 'Convolution' || !out || !out.batched || out.rank !== 4) continue;
    const [, height, width, c] = out.shape as [number, number, number, number];
    const shown = Math.min(c, CNN_VIEW_LIMITS.channels);
    const values = new Float32Array(shown * height * width);
    for (let ch = 0; ch < shown; ch++) for (let p = 0; p < height * width; p++) values[ch * height * width + p] = out.value[p * c + ch]!;
    layers.push({ nodeId: n.id, name: n.name, type: n.type, height, width, channels: c, shown, values });
  }
  const pixels = new Uint8Array(rows * cols);
  for (let p = 0; p < rows * cols; p++) pixels[p] = Math.round(Math.min(1, Math.max(0, image[p * channels]!)) * 255);
  const y = split.test.y[index]!;
  const label = split.info.classNames?.[y] ?? String(y);
  return {
    filters: { nodeId, kh, kw, inputs, outputs, shownInputs, shownOutputs, weights, scale },
    sample: { index, count: split.test.count, label, rows, cols, pixels },
    layers,
  };
}
