/**
 * What the three recurrent layers (SimpleRNN, LSTM, GRU) share: their parameters, their shape
 * inference and problems, and the pieces of their unrolled build.
 *
 * A recurrent layer reads one sequence per sample, [time steps, features], and carries a hidden
 * state of `units` numbers from step to step, starting from zeros. The tape is static and the
 * number of steps is known at build time, so the loop over time is unrolled into primitive ops.
 * The input's contribution to every gate at every step is one matmul over [B, T, F] (plus one
 * bias add); each step then slices its block, adds the recurrent product h·U and applies the gates.
 */
import type { Shape } from '../core/shape';
import type { Tape, Var } from '../core/tape';
import type { InitializerConfig } from '../init/initializers';
import { add } from '../ops/binary';
import { concat } from '../ops/concat';
import { matmul } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { pyBool, pySource } from './torch';
import {
  describeShape,
  problem,
  type BuildContext,
  type InferContext,
  type LayerProblem,
  type OnnxAttributeValue,
  type OnnxBuilder,
  type OnnxContext,
  type ParamSpecs,
  type TorchContext,
} from './types';
import { kernelInitializer, kernelInitializerSpec, useBiasSpec } from './weights';

export type RecurrentParams = { units: number; returnSequences: boolean; useBias: boolean; kernelInitializer: string };

export const recurrentParamSpecs: ParamSpecs = {
  units: {
    kind: 'int',
    label: 'Units',
    help: 'Size of the hidden state: how many numbers the layer carries from one time step to the next (and outputs).',
    default: 32,
    min: 1,
    max: 1024,
  },
  returnSequences: {
    kind: 'bool',
    label: 'Return sequences',
    help: "On: output the hidden state at every time step (time steps × units), to stack another recurrent layer or predict per step. Off: only the last step's state (units), a summary of the whole sequence for a Dense head.",
    default: false,
  },
  useBias: useBiasSpec,
  kernelInitializer: {
    ...kernelInitializerSpec,
    help: "How the input weights start; Auto is Glorot uniform, as in Keras. The recurrent weights always start as a random orthogonal matrix and the biases at zero (an LSTM's forget gate at 1), as in Keras.",
  },
};

export const RECURRENT_KEYWORDS = ['recurrent', 'rnn', 'sequence', 'time series', 'hidden state', 'text'] as const;

export const recurrentCaption = (p: RecurrentParams): string => (p.returnSequences ? `${p.units}, seq` : `${p.units}`);

/** The output shape, or what stops `label` from reading its input, in plain words with a fix. */
export function inferRecurrent(label: string, [x]: readonly Shape[], p: RecurrentParams, ctx: InferContext): Shape | LayerProblem[] {
  const wants = `${label} reads a sequence (time steps × features)`;
  if (!x || x.length === 0) {
    return problem(`${wants}, but gets a scalar per sample.`, 'Use a sequence dataset, or feed it from a layer that outputs time steps × features.', 0);
  }
  if (x.length === 1) {
    const n = x[0]!;
    if (ctx.dataset.vocabSize !== undefined) {
      return problem(
        `${wants}, but gets ${n} numbers per sample: token ids, not vectors.`,
        `Add an Embedding before this ${label} to turn each token id into a vector.`,
        0,
      );
    }
    return problem(
      `${wants}, but gets ${n} features per sample.`,
      `Use a sequence dataset (or add an Embedding for token ids); if the ${n} features are a series in time, add a Reshape to [${n}, 1] to read them one per step.`,
      0,
    );
  }
  if (x.length >= 3) {
    const rest = x.slice(1).reduce((a, b) => a * b, 1);
    return problem(
      `${wants}, but gets an image-shaped ${describeShape(x)} tensor.`,
      `Add a Reshape to [${x[0]}, ${rest}] to read it row by row (${x[0]} steps of ${rest} features).`,
      0,
    );
  }
  return p.returnSequences ? [x[0]!, p.units] : [p.units];
}

/** Weights of one gate block: input kernel [F, gates·u] + recurrent kernel [u, gates·u] + bias [gates·u]. */
export function recurrentParamCount(gates: number, [x]: readonly Shape[], p: RecurrentParams): number {
  const features = x![x!.length - 1]!;
  return gates * (features * p.units + p.units * p.units + (p.useBias ? p.units : 0));
}

/**
 * The `bufferFloats` of a recurrent layer whose unrolled build keeps, besides the input projection
 * of every step (product, bias sum and the reshape's gradient, `gates`·units wide) and, when it
 * returns sequences, the joined states, `firstStep` units at the first step (which has no
 * recurrent term) and `perStep` at every later one: values and gradients, counted from its build.
 */
export function recurrentBufferFloats(gates: number, firstStep: number, perStep: number) {
  return ([x]: readonly Shape[], _output: Shape, p: RecurrentParams): number => {
    const steps = x![0]!;
    const u = p.units;
    const projection = steps * gates * u * (p.useBias ? 5 : 3);
    const joined = p.returnSequences && steps > 1 ? 3 * steps * u : 0;
    return projection + u * (firstStep + perStep * (steps - 1)) + joined;
  };
}

export const RECURRENT_SHRINK = 'Give it fewer units, or feed it shorter sequences.';

/** The input kernel's initializer. The gates squash with sigmoid and tanh whatever follows the layer, so Auto is Glorot uniform. */
export function inputKernelInit(p: RecurrentParams): InitializerConfig {
  return kernelInitializer(p.kernelInitializer, undefined);
}

export const RECURRENT_INIT: InitializerConfig = { kind: 'orthogonal' };

/**
 * A recurrent layer's weights with `gates` blocks of `units` columns each (Keras names and
 * layout: kernel [F, G·u], recurrent_kernel [u, G·u], bias [G·u]) and the input projection of
 * every step. `biasInit` is the bias initializer (zeros unless the layer says otherwise).
 */
export function recurrentWeights(ctx: BuildContext, x: Var, p: RecurrentParams, gates: number, biasInit: InitializerConfig = { kind: 'zeros' }): { steps: number; recurrent: Var; xw: Var } {
  const width = gates * p.units;
  const kernel = ctx.param('kernel', [x.shape[2]!, width], inputKernelInit(p));
  const recurrent = ctx.param('recurrent_kernel', [p.units, width], RECURRENT_INIT);
  const bias = p.useBias ? ctx.param('bias', [width], biasInit) : undefined;
  return { steps: x.shape[1]!, recurrent, xw: projectInputs(ctx.tape, x, kernel, bias) };
}

/**
 * x·W (+ b) for every time step at once: [B, T, F]·[F, G] → [B, T, G], kept as [B, T·G] so that
 * a block of any step is a single slice ({@link stepBlock}).
 */
export function projectInputs(tape: Tape, x: Var, kernel: Var, bias: Var | undefined): Var {
  const steps = x.shape[1]!;
  const width = kernel.shape[1]!;
  const xw = matmul(tape, x, kernel);
  return reshape(tape, bias ? add(tape, xw, bias) : xw, [steps * width]);
}

/** Columns [offset, offset + size) of step t's block in a projection of width `width` per step: [B, size]. */
export function stepBlock(tape: Tape, projected: Var, t: number, width: number, offset: number, size: number): Var {
  return slice(tape, projected, [0, t * width + offset], [-1, size]);
}

/** Columns [offset, offset + size) of a [B, n] tensor. */
export function columns(tape: Tape, v: Var, offset: number, size: number): Var {
  return slice(tape, v, [0, offset], [-1, size]);
}

/** The layer's output from the hidden state of every step ([B, u] each): [B, T, u] when returnSequences, else the last. */
export function collectStates(tape: Tape, states: readonly Var[], returnSequences: boolean): Var {
  const last = states[states.length - 1]!;
  if (!returnSequences) return last;
  const units = last.shape[1]!;
  const joined = states.length === 1 ? last : concat(tape, states, 1);
  return reshape(tape, joined, [states.length, units]);
}

/**
 * PyTorch: the base class the three recurrent classes share (the same text in each layer's
 * definitions, so model.py holds it once, before them). It mirrors {@link recurrentWeights} and
 * {@link projectInputs}: Keras's names and layout (kernel [F, G·u], recurrent_kernel [u, G·u],
 * bias [G·u], the G gate blocks side by side), the input projection of every step at once, a zero
 * initial state, and {@link collectStates}: [B, T, u] with return sequences, else the last state.
 */
export const TORCH_RECURRENT_BASE = pySource(
  'class KerasRecurrent(nn.Module):',
  '    """A recurrent layer with Keras\'s weights: kernel [in, gates*units], recurrent_kernel [units, gates*units] and',
  '    bias [gates*units], the gate blocks side by side. Reads [batch, time, features] from a zero state; returns',
  '    [batch, time, units] (return_sequences) or the last state [batch, units]."""',
  '',
  '    def __init__(self, in_features, units, gates, bias=True, return_sequences=False):',
  '        super().__init__()',
  '        self.units = units',
  '        self.return_sequences = return_sequences',
  '        self.kernel = nn.Parameter(torch.empty(in_features, gates * units))',
  '        self.recurrent_kernel = nn.Parameter(torch.empty(units, gates * units))',
  '        self.bias = nn.Parameter(torch.zeros(gates * units)) if bias else None',
  '        # As Keras starts them: Glorot uniform input weights, an orthogonal recurrent kernel, zero biases.',
  '        nn.init.xavier_uniform_(self.kernel)',
  '        nn.init.orthogonal_(self.recurrent_kernel)',
  '',
  '    def project_inputs(self, x):',
  '        """x_t @ kernel + bias for every time step at once: [batch, time, gates*units]."""',
  '        xw = x @ self.kernel',
  '        return xw if self.bias is None else xw + self.bias',
  '',
  '    def initial_state(self, x):',
  '        """h_0 = 0."""',
  '        return x.new_zeros(x.shape[0], self.units)',
  '',
  '    def collect(self, states):',
  '        """The state of every step [batch, time, units], or only the last [batch, units]."""',
  '        return torch.stack(states, dim=1) if self.return_sequences else states[-1]',
);

/** The module of a recurrent layer: `LSTM(3, 8, bias=True, return_sequences=False)`, its input features from the [T, F] input. */
export function torchRecurrentModule(className: string) {
  return (p: RecurrentParams, { inputs: [x] }: TorchContext): string =>
    `${className}(${x![x!.length - 1]}, ${p.units}, bias=${pyBool(p.useBias)}, return_sequences=${pyBool(p.returnSequences)})`;
}

/**
 * ONNX: a recurrent layer as ONNX's own operator (`RNN`, `LSTM` or `GRU`, forward, default
 * activations: tanh; sigmoid/tanh/tanh; sigmoid/tanh), so that viewers show it as one layer. It
 * mirrors {@link recurrentWeights} and {@link collectStates}: the initializers keep Keras's names
 * and layout (kernel [F, G·u], recurrent_kernel [u, G·u], bias [G·u]) and nodes on them make the
 * operator's W [1, G·u, F], R [1, G·u, u] and B [1, 2·G·u] (its input bias, then a zero recurrent
 * bias; absent without bias, which ONNX reads as zeros), the gate blocks put in ONNX's order.
 * `gateOrder[k]` is the Keras block of ONNX's k-th gate. No initial state: ONNX's is zeros, as
 * ours. The operator reads and writes time-major tensors (layout 0; ONNX Runtime's CPU kernels
 * reject the batch-first layout 1): [B, T, F] is transposed to [T, B, F], and its first output
 * Y [T, 1 direction, B, u] back to [B, T, u], or its last step [B, u] (what Y_h holds).
 */
export function onnxRecurrent(
  b: OnnxBuilder,
  opType: 'RNN' | 'LSTM' | 'GRU',
  x: string,
  p: RecurrentParams,
  ctx: OnnxContext,
  gateOrder: readonly number[],
  attributes: Readonly<Record<string, OnnxAttributeValue>> = {},
): string {
  const [steps, features] = ctx.inputs[0]! as [number, number];
  const u = p.units;
  const gates = gateOrder.length;
  const reorder = gateOrder.some((k, i) => k !== i);
  const ints = (values: readonly number[]): string => b.constant(values, [values.length], 'int64');
  // Keras's [rows, G·u] (gate blocks side by side in columns) → ONNX's [1, G·u, rows] (gate blocks stacked in rows).
  const stacked = (name: string, rows: number): string => {
    const t = b.op('Transpose', [b.weight(name)], { perm: { ints: [1, 0] } });
    const blocks = reorder ? b.op('Gather', [b.op('Reshape', [t, ints([gates, u, rows])]), ints(gateOrder)], { axis: { i: 0 } }) : t;
    return b.op('Reshape', [blocks, ints([1, gates * u, rows])]);
  };
  const w = stacked('kernel', features);
  const r = stacked('recurrent_kernel', u);
  let bias = '';
  if (p.useBias) {
    // ONNX adds an input bias Wb and a recurrent bias Rb; Keras has one bias: Wb = bias, Rb = 0.
    const wb = reorder ? b.op('Gather', [b.op('Reshape', [b.weight('bias'), ints([gates, u])]), ints(gateOrder)], { axis: { i: 0 } }) : b.weight('bias');
    bias = b.op('Concat', [b.op('Reshape', [wb, ints([1, gates * u])]), b.constant(new Float32Array(gates * u), [1, gates * u])], { axis: { i: 1 } });
  }
  const timeMajor = b.op('Transpose', [x], { perm: { ints: [1, 0, 2] } });
  const y = b.op(opType, bias ? [timeMajor, w, r, bias] : [timeMajor, w, r], { hidden_size: { i: u }, ...attributes });
  const states = b.op('Squeeze', [y, ints([1])]); // [T, B, u]: the one direction
  if (!p.returnSequences) return b.op('Gather', [states, b.constant([steps - 1], [], 'int64')], { axis: { i: 0 } }); // the last step's state
  return b.op('Transpose', [states], { perm: { ints: [1, 0, 2] } });
}
