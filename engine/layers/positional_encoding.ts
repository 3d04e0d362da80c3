import { add } from '../ops/binary';
import type { LayerDef } from './types';
import { needSequence } from './sequence';

export type PositionalParams = { mode: string };

/**
 * The fixed sinusoidal encoding of Vaswani et al. (2017), [steps, dim] row-major: for position
 * pos and feature i, with angle = pos / 10000^(2·⌊i/2⌋ / dim), even features hold sin(angle) and
 * odd features cos(angle). Computed in float64, rounded once to float32.
 */
export function sinusoidalEncoding(steps: number, dim: number): Float32Array {
  const out = new Float32Array(steps * dim);
  for (let i = 0; i < dim; i++) {
    const rate = Math.pow(10000, -(2 * Math.floor(i / 2)) / dim);
    const wave = i % 2 === 0 ? Math.sin : Math.cos;
    for (let pos = 0; pos < steps; pos++) out[pos * dim + i] = wave(pos * rate);
  }
  return out;
}

/**
 * Adds where each time step is to its vector: [T, D] → [T, D]. Attention by itself does not know
 * the order of the steps; this gives each position its own signature. 'sinusoidal' adds the fixed
 * waves above (a constant on the tape, no weights); 'learned' adds a trained [T, D] table.
 */
export const positionalEncodingLayer: LayerDef<PositionalParams> = {
  type: 'positional_encoding',
  label: 'Positional Encoding',
  category: 'Recurrent & Attention',
  description: 'Adds each time step’s position to its vector',
  keywords: ['position', 'sinusoidal', 'transformer', 'order'],
  params: {
    mode: {
      kind: 'select',
      label: 'Kind',
      help: 'Sinusoidal adds fixed sine and cosine waves of many wavelengths (no weights, as in the original Transformer); learned trains one vector per position.',
      default: 'sinusoidal',
      options: [
        { value: 'sinusoidal', label: 'Sinusoidal (fixed)' },
        { value: 'learned', label: 'Learned' },
      ],
    },
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => (p.mode === 'learned' ? 'learned' : 'sin/cos'),
  infer: ([x]) => needSequence('Positional Encoding', x) ?? [...x!],
  paramCount: ([x], p) => (p.mode === 'learned' ? x![0]! * x![1]! : 0),
  build(ctx, [x], p) {
    const steps = x!.shape[x!.rank - 2]!;
    const dim = x!.shape[x!.rank - 1]!;
    const table = p.mode === 'learned'
      // Keras's default for position embeddings: uniform in ±0.05.
      ? ctx.param('positions', [steps, dim], { kind: 'uniform' })
      : ctx.tape.constant('positional_encoding', [steps, dim], sinusoidalEncoding(steps, dim));
    return add(ctx.tape, x!, table);
  },
};
