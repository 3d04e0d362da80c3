/** Small graphs and dataset descriptions shared by the compiler's tests. */
import type { DatasetInfo } from '../data/types';
import type { GraphSpec } from './types';

export const spiralInfo: DatasetInfo = { id: 'spiral', name: 'Spiral', task: 'multiclass', inputShape: [2], targetShape: [], numClasses: 3, classNames: ['0', '1', '2'], count: 300 };
export const mnistInfo: DatasetInfo = { id: 'mnist', name: 'MNIST', task: 'multiclass', inputShape: [28, 28, 1], targetShape: [], numClasses: 10, count: 10000 };
export const sineInfo: DatasetInfo = { id: 'sine', name: 'Sine', task: 'regression', inputShape: [1], targetShape: [1], count: 200 };
export const xorInfo: DatasetInfo = { id: 'xor', name: 'XOR', task: 'binary', inputShape: [2], targetShape: [], numClasses: 2, classNames: ['0', '1'], count: 200 };

type Layer = { type: string; params?: Record<string, unknown>; label?: string };

/** A straight chain: in → layers... → out, with ids n0..nk and edges e1..ek. */
export function chain(...layers: Layer[]): GraphSpec {
  const all: Layer[] = [{ type: 'input' }, ...layers, { type: 'output' }];
  return {
    nodes: all.map((l, i) => ({ id: `n${i}`, type: l.type, params: l.params ?? {}, ...(l.label ? { label: l.label } : {}) })),
    edges: all.slice(1).map((_, i) => ({ id: `e${i + 1}`, source: `n${i}`, target: `n${i + 1}`, targetSlot: 0 })),
  };
}

/** in → dense(8) → relu, which fans out to two dense(8) branches joined by add → dense(3) → out. */
export function branched(): GraphSpec {
  return {
    nodes: [
      { id: 'in', type: 'input', params: {} },
      { id: 'd1', type: 'dense', params: { units: 8 } },
      { id: 'r1', type: 'relu', params: {} },
      { id: 'da', type: 'dense', params: { units: 8 } },
      { id: 'db', type: 'dense', params: { units: 8 } },
      { id: 'ta', type: 'tanh', params: {} },
      { id: 'sum', type: 'add', params: {} },
      { id: 'head', type: 'dense', params: { units: 3 } },
      { id: 'out', type: 'output', params: {} },
    ],
    edges: [
      { id: 'e_in', source: 'in', target: 'd1', targetSlot: 0 },
      { id: 'e_d1', source: 'd1', target: 'r1', targetSlot: 0 },
      { id: 'e_ra', source: 'r1', target: 'da', targetSlot: 0 },
      { id: 'e_rb', source: 'r1', target: 'db', targetSlot: 0 },
      { id: 'e_skip', source: 'r1', target: 'sum', targetSlot: 2 },
      { id: 'e_da', source: 'da', target: 'ta', targetSlot: 0 },
      { id: 'e_ta', source: 'ta', target: 'sum', targetSlot: 0 },
      { id: 'e_db', source: 'db', target: 'sum', targetSlot: 1 },
      { id: 'e_sum', source: 'sum', target: 'head', targetSlot: 0 },
      { id: 'e_head', source: 'head', target: 'out', targetSlot: 0 },
    ],
  };
}
