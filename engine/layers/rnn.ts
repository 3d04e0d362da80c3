/**
 * SimpleRNN (Keras's SimpleRNN, tanh): h_t = tanh(x_t·W + h_{t-1}·U + b), h_0 = 0.
 * Weights as Keras names them: kernel [F, u], recurrent_kernel [u, u], bias [u];
 * F·u + u·u + u parameters. Unrolled over time from matmul, add, slice and tanh.
 */
import { add } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { tanh } from '../ops/unary';
import type { Var } from '../core/tape';
import {
  RECURRENT_KEYWORDS,
  RECURRENT_SHRINK,
  collectStates,
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

export const rnnLayer: LayerDef<RecurrentParams> = {
  type: 'rnn',
  label: 'SimpleRNN',
  category: 'Recurrent & Attention',
  description: 'Recurrent layer: h = tanh(x·W + h·U + b)',
  keywords: [...RECURRENT_KEYWORDS, 'simple rnn', 'simplernn', 'elman', 'vanilla rnn'],
  params: recurrentParamSpecs,
  inputs: { min: 1, max: 1 },
  caption: recurrentCaption,
  infer: (inputs, p, ctx) => inferRecurrent('SimpleRNN', inputs, p, ctx),
  paramCount: (inputs, p) => recurrentParamCount(1, inputs, p),
  // Per step: the projection's slice, the recurrent product, their sum and the tanh (the first step: slice and tanh).
  bufferFloats: recurrentBufferFloats(1, 4, 8),
  shrink: RECURRENT_SHRINK,
  build(ctx, [x], p) {
    const tape = ctx.tape;
    const u = p.units;
    const { steps, recurrent, xw } = recurrentWeights(ctx, x!, p, 1);
    const states: Var[] = [];
    let h: Var | undefined;
    for (let t = 0; t < steps; t++) {
      const xt = stepBlock(tape, xw, t, u, 0, u);
      // h_0 = 0, so the first step has no recurrent term.
      h = tanh(tape, h ? add(tape, xt, matmul(tape, h, recurrent)) : xt);
      states.push(h);
    }
    return collectStates(tape, states, p.returnSequences);
  },
  torch: {
    definitions: {
      KerasRecurrent: TORCH_RECURRENT_BASE,
      SimpleRNN: pySource(
        'class SimpleRNN(KerasRecurrent):',
        '    """SimpleRNN as Keras computes it: h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), h_0 = 0."""',
        '',
        '    def __init__(self, in_features, units, bias=True, return_sequences=False):',
        '        super().__init__(in_features, units, 1, bias, return_sequences)',
        '',
        '    def forward(self, x):',
        '        xw = self.project_inputs(x)',
        '        h = self.initial_state(x)',
        '        states = []',
        '        for t in range(x.shape[1]):',
        '            h = torch.tanh(xw[:, t] + h @ self.recurrent_kernel)',
        '            states.append(h)',
        '        return self.collect(states)',
      ),
    },
    module: torchRecurrentModule('SimpleRNN'),
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // ONNX's RNN (tanh) is this cell: one gate block, W [1, u, F] = kernelᵀ.
  onnx: { write: (b, [x], p, ctx) => onnxRecurrent(b, 'RNN', x!, p, ctx, [0]) },
};
