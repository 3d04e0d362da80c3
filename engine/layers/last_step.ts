import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import type { LayerDef } from './types';
import { needSequence } from './sequence';

/** The last time step of a sequence: [T, F] → [F]. After a causal model it is the step that has seen everything. */
export const lastStepLayer: LayerDef = {
  type: 'last_step',
  label: 'Last Step',
  category: 'Core',
  description: 'Keeps only the last time step of a sequence',
  keywords: ['sequence', 'final', 'time step', 'many to one'],
  params: {},
  inputs: { min: 1, max: 1 },
  infer: ([x]) => needSequence('Last Step', x) ?? [x![1]!],
  build(ctx, [x]) {
    const steps = x!.shape[x!.rank - 2]!;
    const features = x!.shape[x!.rank - 1]!;
    const last = slice(ctx.tape, x!, [0, steps - 1, 0], [-1, 1, -1]);
    return reshape(ctx.tape, last, [features]);
  },
  // The slice at step T - 1 of [B, T, F], as the engine's slice + reshape: [B, F].
  torch: { forward: ([x]) => `${x}[:, -1]` },
  // The same step T - 1 of [B, T, F]: Gather with a scalar index drops the time axis, giving [B, F].
  onnx: { write: (b, [x], _p, { inputs: [shape] }) => b.op('Gather', [x!, b.constant([shape![0]! - 1], [], 'int64')], { axis: { i: 1 } }) },
};
