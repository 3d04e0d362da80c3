import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/compiler/compile';
import { describeBuiltinDataset } from '../../engine/data';
import { fromModelDefinition } from '../graph/document';
import { loadExample } from '../../engine/testing/files';
import { backwardRanks, waveState, type Wave } from './backpropWave';

const ranksOf = (id: string) => {
  const doc = fromModelDefinition(loadExample(`${id}.json`));
  return backwardRanks(compile(doc, describeBuiltinDataset(doc.training.dataset, doc.training.datasetOptions ?? {})));
};

describe('the backward pass, edge by edge', () => {
  it('reaches a chain back to front: the edge into the Output first, the edge out of the Input last', () => {
    expect(Object.fromEntries(ranksOf('spiral-mlp'))).toEqual({ e6: 0, e5: 1, e4: 2, e3: 3, e2: 4, e1: 5 });
  });

  it('reaches a skip connection with the edge beside it into the Add, and the edge before the fork only when both branches are back', () => {
    const ranks = ranksOf('residual-mlp');
    expect(ranks.get('e9')).toBe(0);
    expect(ranks.get('skip')).toBe(ranks.get('e6'));
    // n2 forks to the block (e3 → … → e6) and the skip: its incoming edge waits for the longer way round.
    expect(ranks.get('e2')).toBe(ranks.get('e3')! + 1);
    expect(ranks.get('e1')).toBe(8);
  });

  it('tells each edge whether the gradient has reached it', () => {
    const wave: Wave = { step: 3, ranks: new Map([['a', 0], ['b', 1], ['c', 2]]), count: 3, reached: 2, still: false };
    expect(['a', 'b', 'c', 'z'].map((id) => waveState(wave, id))).toEqual(['arrived', 'arriving', 'waiting', 'outside']);
    expect(waveState({ ...wave, reached: 3 }, 'c')).toBe('arrived');
    expect(waveState({ ...wave, reached: 3, still: true }, 'c')).toBe('arrived');
    expect(waveState(null, 'a')).toBeNull();
  });
});
