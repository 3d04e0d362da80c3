import { describe, expect, it } from 'vitest';
import { findBuiltinDataset, type SyntheticEntry } from '../../../engine/data';
import { datasetDescription, syntheticPreview } from './previews';

const spiral = findBuiltinDataset('spiral') as SyntheticEntry;

/** The distinct classes among the preview's points: what the picker's scatter plot shows. */
function classesShown(entry: SyntheticEntry, options: Record<string, number>): number {
  const result = syntheticPreview(entry, options, 1);
  if (!result.ok || result.preview.kind !== 'points') throw new Error('expected a scatter preview');
  return new Set(result.preview.points.map((p) => p.target)).size;
}

describe('datasetDescription', () => {
  it.each([2, 3, 5])('says as many spiral arms as the preview draws (classes %i)', (classes) => {
    const shown = classesShown(spiral, { classes });
    expect(shown).toBe(classes);
    expect(datasetDescription(spiral, { classes }, 1)).toMatch(new RegExp(`^${shown} interleaved spiral arms`));
  });

  it('describes the spiral-mlp template\'s data (3 arms), not the catalogue default (2)', () => {
    expect(datasetDescription(spiral, { count: 600, noise: 0.2, classes: 3 }, 42)).toMatch(/^3 interleaved spiral arms/);
  });

  it('describes the recall distance the document sets', () => {
    const recall = findBuiltinDataset('recall')!;
    expect(datasetDescription(recall, { distance: 15 }, 1)).toContain('15 to 30 steps back');
  });

  it('falls back to the defaults\' description for options the generator refuses', () => {
    expect(datasetDescription(spiral, { classes: 40 }, 1)).toBe(spiral.description);
  });

  it('keeps a file-backed dataset\'s own description', () => {
    const iris = findBuiltinDataset('iris')!;
    expect(datasetDescription(iris, undefined, 1)).toBe(iris.description);
  });
});
