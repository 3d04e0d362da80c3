import { add } from '../ops/binary';
import { pyBool, pySource } from './torch';
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
  torch: {
    definitions: {
      // Mirrors sinusoidalEncoding above: angle = pos / 10000^(2*floor(i/2) / dim), sin on even
      // features, cos on odd ones, in float64 rounded once to float32.
      sinusoidal_encoding: pySource(
        'def sinusoidal_encoding(steps, dim):',
        '    """The fixed [steps, dim] encoding of Vaswani et al.: sin on even features, cos on odd ones (float64, rounded to float32)."""',
        '    i = torch.arange(dim, dtype=torch.float64)',
        '    rate = torch.pow(10000.0, -(2 * torch.floor(i / 2)) / dim)',
        '    angle = torch.arange(steps, dtype=torch.float64)[:, None] * rate',
        '    return torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)).float()',
      ),
      PositionalEncoding: pySource(
        'class PositionalEncoding(nn.Module):',
        '    """Adds a [steps, dim] position table to every sample of [B, steps, dim]: learned (`positions`) or the fixed sinusoidal one (no weights)."""',
        '',
        '    def __init__(self, steps, dim, learned):',
        '        super().__init__()',
        '        self.steps, self.dim = steps, dim',
        '        if learned:',
        '            self.positions = nn.Parameter(torch.empty(steps, dim))',
        '            nn.init.uniform_(self.positions, -0.05, 0.05)',
        '        else:',
        '            self.register_parameter("positions", None)',
        '',
        '    def forward(self, x):',
        '        table = self.positions if self.positions is not None else sinusoidal_encoding(self.steps, self.dim).to(x)',
        '        return x + table',
      ),
    },
    module: (p, { inputs: [x] }) => `PositionalEncoding(${x![0]}, ${x![1]}, learned=${pyBool(p.mode === 'learned')})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  onnx: {
    // The [T, D] table added to every sample of [B, T, D] (broadcast over the batch): the learned
    // `positions` weight, or the sinusoidal table as a constant from the same function the engine uses.
    write(b, [x], p, { inputs: [shape] }) {
      const table = p.mode === 'learned' ? b.weight('positions') : b.constant(sinusoidalEncoding(shape![0]!, shape![1]!), [shape![0]!, shape![1]!]);
      return b.op('Add', [x!, table]);
    },
  },
};
