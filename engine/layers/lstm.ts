/**
 * LSTM, as Keras and TensorFlow.js compute it with sigmoid gates (Keras's default recurrent
 * activation; TF.js's layers default to hard sigmoid, which we do not use):
 *   z = x_t·W + h_{t-1}·U + b, split into four blocks in Keras's gate order i, f, g, o:
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c_t = f∘c_{t-1} + i∘g,  h_t = o∘tanh(c_t),  h_0 = c_0 = 0.
 * Weights as Keras names and lays them out: kernel [F, 4u], recurrent_kernel [u, 4u], bias [4u],
 * each with the gate blocks in that order, so 4·(F·u + u·u + u) parameters, and Keras weights
 * load as they are. The bias starts with the forget block at 1 (Keras's unit_forget_bias).
 * Unrolled over time from matmul, add, slice, sigmoid, tanh and mul.
 */
import { add, mul } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { sigmoid, tanh } from '../ops/unary';
import type { Var } from '../core/tape';
import {
  RECURRENT_KEYWORDS,
  RECURRENT_SHRINK,
  collectStates,
  columns,
  inferRecurrent,
  onnxRecurrent,
  recurrentBufferFloats,
  recurrentCaption,
  recurrentParamCount,
  recurrentParamSpecs,
  recurrentWeights,
  stepBlock,
  TORCH_RECURRENT_BASE,
  torchRecurrentModule,
  type RecurrentParams,
} from './recurrent';
import { pySource } from './torch';
import type { LayerDef } from './types';

export const lstmLayer: LayerDef<RecurrentParams> = {
  type: 'lstm',
  label: 'LSTM',
  category: 'Recurrent & Attention',
  description: 'Long short-term memory: a gated recurrent layer',
  keywords: [...RECURRENT_KEYWORDS, 'long short-term memory', 'gates', 'memory cell', 'forget gate'],
  params: recurrentParamSpecs,
  inputs: { min: 1, max: 1 },
  caption: recurrentCaption,
  infer: (inputs, p, ctx) => inferRecurrent('LSTM', inputs, p, ctx),
  paramCount: (inputs, p) => recurrentParamCount(4, inputs, p),
  // Per step: the projection's block, the recurrent product and their sum (4u each), four gate slices and activations, the cell and hidden updates.
  bufferFloats: recurrentBufferFloats(4, 22, 50),
  shrink: RECURRENT_SHRINK,
  build(ctx, [x], p) {
    const tape = ctx.tape;
    const u = p.units;
    const { steps, recurrent, xw } = recurrentWeights(ctx, x!, p, 4, { kind: 'blocks', values: [0, 1, 0, 0] });
    const states: Var[] = [];
    let h: Var | undefined;
    let c: Var | undefined;
    for (let t = 0; t < steps; t++) {
      // h_0 = 0: the first step's gates come straight from the input projection.
      const z = h ? add(tape, stepBlock(tape, xw, t, 4 * u, 0, 4 * u), matmul(tape, h, recurrent)) : undefined;
      const gate = (k: number): Var => (z ? columns(tape, z, k * u, u) : stepBlock(tape, xw, t, 4 * u, k * u, u));
      const i = sigmoid(tape, gate(0));
      const f = sigmoid(tape, gate(1));
      const g = tanh(tape, gate(2));
      const o = sigmoid(tape, gate(3));
      // c_0 = 0, so the first cell state is i∘g (and f_0 has no effect).
      c = c ? add(tape, mul(tape, f, c), mul(tape, i, g)) : mul(tape, i, g);
      h = mul(tape, o, tanh(tape, c));
      states.push(h);
    }
    return collectStates(tape, states, p.returnSequences);
  },
  torch: {
    definitions: {
      KerasRecurrent: TORCH_RECURRENT_BASE,
      LSTM: pySource(
        'class LSTM(KerasRecurrent):',
        '    """LSTM as Keras computes it, with sigmoid gates; the gate blocks are column blocks of the kernels in the',
        '    order i, f, g, o, with one bias (torch.nn.LSTM has the same order but [4*units, in] weights and two biases):',
        '        i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of x_t @ kernel + h_{t-1} @ recurrent_kernel + bias',
        '        c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t),  h_0 = c_0 = 0."""',
        '',
        '    def __init__(self, in_features, units, bias=True, return_sequences=False):',
        '        super().__init__(in_features, units, 4, bias, return_sequences)',
        '        if self.bias is not None:',
        '            with torch.no_grad():',
        '                self.bias[units : 2 * units] = 1.0  # the forget block starts at 1 (unit_forget_bias in Keras)',
        '',
        '    def forward(self, x):',
        '        xw = self.project_inputs(x)',
        '        h = self.initial_state(x)',
        '        c = self.initial_state(x)',
        '        states = []',
        '        for t in range(x.shape[1]):',
        '            z = xw[:, t] + h @ self.recurrent_kernel',
        '            z_i, z_f, z_g, z_o = z.chunk(4, dim=-1)',
        '            i, f, g, o = torch.sigmoid(z_i), torch.sigmoid(z_f), torch.tanh(z_g), torch.sigmoid(z_o)',
        '            c = f * c + i * g',
        '            h = o * torch.tanh(c)',
        '            states.append(h)',
        '        return self.collect(states)',
      ),
    },
    module: torchRecurrentModule('LSTM'),
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // ONNX's LSTM (sigmoid, tanh, tanh; no peepholes) is this cell, with its gate blocks in the order
  // i, o, f, c: Keras's blocks 0 (i), 3 (o), 1 (f), 2 (g).
  onnx: { write: (b, [x], p, ctx) => onnxRecurrent(b, 'LSTM', x!, p, ctx, [0, 3, 1, 2]) },
};
