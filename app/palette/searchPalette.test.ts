import { describe, expect, it } from 'vitest';
import { PALETTE_ENTRIES } from './catalogue';
import { searchPalette } from './searchPalette';

const typesFor = (query: string) => searchPalette(PALETTE_ENTRIES, query).flatMap((g) => g.entries.map((e) => e.type));

describe('searchPalette', () => {
  it('shows every registry layer, grouped in category order, for an empty query', () => {
    const groups = searchPalette(PALETTE_ENTRIES, '  ');
    expect(groups.map((g) => g.category.label)).toEqual([
      'Core',
      'Activations',
      'Convolution',
      'Normalization & Regularization',
      'Merge',
      'Recurrent & Attention',
      'Output',
    ]);
    expect(groups.flatMap((g) => g.entries)).toHaveLength(PALETTE_ENTRIES.length);
  });

  it('matches labels and category names, ignoring case', () => {
    expect(typesFor('CONV')).toEqual(['conv2d', 'maxpool2d', 'avgpool2d', 'global_avgpool', 'global_avgpool1d']);
    expect(typesFor('leaky')).toEqual(['leaky_relu']);
  });

  it('finds a layer by the words people use for it', () => {
    expect(typesFor('fully connected')).toEqual(['dense']);
    expect(typesFor('loss')).toEqual(['output']);
  });

  it('requires every word to match and drops empty groups', () => {
    expect(typesFor('max pool')).toEqual(['maxpool2d']);
    expect(searchPalette(PALETTE_ENTRIES, 'transformer xyz')).toEqual([]);
  });
});
