/**
 * PyTorch export cases: recurrent layers (see engine/export/pytorch.test.ts). Each cell with return
 * sequences off and on (feeding a second recurrent layer, a Flatten, or a Dense per step against
 * per-step targets), with and without bias, and a stack of all three.
 */
import type { DatasetInfo } from '../data/types';
import { chain, classification, regression, type TorchCase } from './testing/torch-cases';

/** A target at every one of `steps` time steps: class ids [T] with `classes`, or values [T, k] without. */
function perStep(inputShape: number[], classes?: number, k = 2): DatasetInfo {
  const steps = inputShape[0]!;
  const targets = classes ? { targetShape: [steps], numClasses: classes } : { targetShape: [steps, k] };
  return { id: 'test', name: 'test data', task: 'sequence', inputShape, ...targets, count: 16 };
}

const seq = (units: number, extra: Record<string, unknown> = {}) => ({ units, returnSequences: true, ...extra });

export const RECURRENT_CASES: TorchCase[] = [
  // SimpleRNN
  { name: 'SimpleRNN, last state into a Dense', graph: chain([['rnn', { units: 6 }], ['dense', { units: 3 }]]), dataset: classification([5, 3]) },
  {
    name: 'SimpleRNN stacked: return sequences into a SimpleRNN without bias',
    graph: chain([['rnn', seq(5)], ['rnn', { units: 4, useBias: false }], ['dense', { units: 2 }]]),
    dataset: regression([6, 3]),
  },
  {
    name: 'SimpleRNN without bias, return sequences into a Dense per step (per-step values)',
    graph: chain([['rnn', seq(4, { useBias: false })], ['dense', { units: 2 }]]),
    dataset: perStep([5, 3]),
  },
  // LSTM
  { name: 'LSTM, last state into a Dense', graph: chain([['lstm', { units: 6 }], ['dense', { units: 3 }]]), dataset: classification([5, 3]) },
  {
    name: 'LSTM stacked: return sequences into an LSTM',
    graph: chain([['lstm', seq(5)], ['lstm', { units: 4 }], ['dense', { units: 1 }]]),
    dataset: classification([6, 2], 2),
  },
  {
    name: 'LSTM without bias, return sequences into a Flatten',
    graph: chain([['lstm', seq(4, { useBias: false })], 'flatten', ['dense', { units: 3 }]]),
    dataset: classification([5, 3]),
  },
  {
    name: 'LSTM, return sequences into a Dense per step (per-step classes)',
    graph: chain([['lstm', seq(5)], ['dense', { units: 4 }]]),
    dataset: perStep([6, 3], 4),
  },
  // GRU
  { name: 'GRU, last state into a Dense', graph: chain([['gru', { units: 6 }], ['dense', { units: 3 }]]), dataset: classification([5, 3]) },
  {
    name: 'GRU stacked: return sequences into a GRU without bias',
    graph: chain([['gru', seq(5)], ['gru', { units: 4, useBias: false }], ['dense', { units: 2 }]]),
    dataset: regression([6, 3]),
  },
  {
    name: 'GRU without bias, return sequences into a Dense per step (per-step classes)',
    graph: chain([['gru', seq(4, { useBias: false })], ['dense', { units: 3 }]]),
    dataset: perStep([5, 2], 3),
  },
  { name: 'GRU over a single time step', graph: chain([['gru', { units: 4 }], ['dense', { units: 3 }]]), dataset: classification([1, 3]) },
  // All three in one stack: the shared KerasRecurrent base written once.
  {
    name: 'LSTM, GRU and SimpleRNN stacked, evaluating',
    graph: chain([['lstm', seq(5)], ['gru', seq(4)], ['rnn', { units: 3 }], ['dense', { units: 2 }]]),
    dataset: regression([4, 3]),
    training: false,
  },
];
