/**
 * GRU, as TensorFlow.js's GRU layer computes it (Keras's reset_after=False, the original
 * Cho et al. 2014 form: the reset gate scales the previous state before the recurrent product;
 * TF.js does not implement reset_after=True, Keras 2's default), with sigmoid gates (Keras's
 * default recurrent activation; TF.js's layers default to hard sigmoid, which we do not use):
 *   gate blocks in Keras's order z (update), r (reset), h (candidate):
 *   z = σ(x_t·W_z + h_{t-1}·U_z + b_z),  r = σ(x_t·W_r + h_{t-1}·U_r + b_r)
 *   ĥ = tanh(x_t·W_h + (r∘h_{t-1})·U_h + b_h)
 *   h_t = z∘h_{t-1} + (1 − z)∘ĥ  (computed as ĥ + z∘(h_{t-1} − ĥ)),  h_0 = 0.
 * Weights as Keras names and lays them out: kernel [F, 3u], recurrent_kernel [u, 3u], bias [3u]
 * (one bias, as reset_after=False has), so 3·(F·u + u·u + u) parameters.
 * Unrolled over time from matmul, add, sub, slice, sigmoid, tanh and mul.
 */
import { add, mul, sub } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { slice } from '../ops/slice';
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

export const gruLayer: LayerDef<RecurrentParams> = {
  type: 'gru',
  label: 'GRU',
  category: 'Recurrent & Attention',
  description: 'Gated recurrent unit: a lighter LSTM',
  keywords: [...RECURRENT_KEYWORDS, 'gated recurrent unit', 'gates', 'update gate', 'reset gate'],
  params: recurrentParamSpecs,
  inputs: { min: 1, max: 1 },
  caption: recurrentCaption,
  infer: (inputs, p, ctx) => inferRecurrent('GRU', inputs, p, ctx),
  paramCount: (inputs, p) => recurrentParamCount(3, inputs, p),
  // Per step: z and r from the projection and h·U (2u each), the candidate from r∘h, and the update of h.
  bufferFloats: recurrentBufferFloats(3, 12, 36),
  shrink: RECURRENT_SHRINK,
  build(ctx, [x], p) {
    const tape = ctx.tape;
    const u = p.units;
    const width = 3 * u;
    const { steps, recurrent, xw } = recurrentWeights(ctx, x!, p, 3);
    // U_z|U_r and U_h, cut once (only needed after the first step, whose h_{t-1} is 0).
    const uzr = steps > 1 ? slice(tape, recurrent, [0, 0], [u, 2 * u]) : undefined;
    const uh = steps > 1 ? slice(tape, recurrent, [0, 2 * u], [u, u]) : undefined;
    const states: Var[] = [];
    let h: Var | undefined;
    for (let t = 0; t < steps; t++) {
      if (!h) {
        // h_0 = 0: z = σ(x·W_z + b_z), ĥ = tanh(x·W_h + b_h), h_1 = (1 − z)∘ĥ = ĥ − z∘ĥ.
        const z = sigmoid(tape, stepBlock(tape, xw, t, width, 0, u));
        const candidate = tanh(tape, stepBlock(tape, xw, t, width, 2 * u, u));
        h = sub(tape, candidate, mul(tape, z, candidate));
      } else {
        const zr = sigmoid(tape, add(tape, stepBlock(tape, xw, t, width, 0, 2 * u), matmul(tape, h, uzr!)));
        const z = columns(tape, zr, 0, u);
        const r = columns(tape, zr, u, u);
        const candidate = tanh(tape, add(tape, stepBlock(tape, xw, t, width, 2 * u, u), matmul(tape, mul(tape, r, h), uh!)));
        h = add(tape, candidate, mul(tape, z, sub(tape, h, candidate)));
      }
      states.push(h);
    }
    return collectStates(tape, states, p.returnSequences);
  },
  torch: {
    definitions: {
      KerasRecurrent: TORCH_RECURRENT_BASE,
      GRU: pySource(
        'class GRU(KerasRecurrent):',
        '    """GRU as Keras computes it with reset_after=False (torch.nn.GRU resets after the product, in the order r, z, n,',
        '    with two biases), sigmoid gates, the gate blocks in the order z (update), r (reset), h (candidate), one bias:',
        '        z = sigmoid(x_t @ W_z + h_{t-1} @ U_z + b_z),  r = sigmoid(x_t @ W_r + h_{t-1} @ U_r + b_r)',
        '        candidate = tanh(x_t @ W_h + (r * h_{t-1}) @ U_h + b_h)   # the reset gate scales h before the product',
        '        h_t = z * h_{t-1} + (1 - z) * candidate,  h_0 = 0."""',
        '',
        '    def __init__(self, in_features, units, bias=True, return_sequences=False):',
        '        super().__init__(in_features, units, 3, bias, return_sequences)',
        '',
        '    def forward(self, x):',
        '        u = self.units',
        '        xw = self.project_inputs(x)',
        '        u_zr, u_h = self.recurrent_kernel[:, : 2 * u], self.recurrent_kernel[:, 2 * u :]',
        '        h = self.initial_state(x)',
        '        states = []',
        '        for t in range(x.shape[1]):',
        '            x_zr, x_h = xw[:, t, : 2 * u], xw[:, t, 2 * u :]',
        '            z, r = torch.sigmoid(x_zr + h @ u_zr).chunk(2, dim=-1)',
        '            candidate = torch.tanh(x_h + (r * h) @ u_h)',
        '            h = z * h + (1 - z) * candidate',
        '            states.append(h)',
        '        return self.collect(states)',
      ),
    },
    module: torchRecurrentModule('GRU'),
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // ONNX's GRU (sigmoid, tanh) in Keras's gate order z, r, h; linear_before_reset = 0 applies the
  // reset gate to h_{t-1} before the recurrent product, as reset_after=False does.
  onnx: { write: (b, [x], p, ctx) => onnxRecurrent(b, 'GRU', x!, p, ctx, [0, 1, 2], { linear_before_reset: { i: 0 } }) },
};
