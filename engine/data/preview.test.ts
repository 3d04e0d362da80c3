import { describe, expect, it } from 'vitest';
import { loadBuiltinDataset } from './catalogue';
import { datasetPreview, PREVIEW_LIMITS } from './preview';
import { recall, sineForecast } from './sequences';
import { peaks, sine, spiral } from './synthetic';
import { readDatasetFile as readPublicDataset } from '../testing/files';

describe('datasetPreview', () => {
  it('shows 2D classification data as labelled points', () => {
    const d = spiral({ count: 50 });
    const p = datasetPreview(d, 3);
    expect(p).toEqual({
      kind: 'points',
      featureNames: ['x1', 'x2'],
      points: [0, 1, 2].map((i) => ({ x1: d.x[2 * i], x2: d.x[2 * i + 1], target: d.y[i], label: `arm ${d.y[i]! + 1}` })),
    });
  });

  it('shows 2D regression as points with their value and 1D regression as a curve', () => {
    const surface = peaks({ count: 20 });
    const p = datasetPreview(surface, 2);
    expect(p.kind === 'points' && p.points[1]).toEqual({ x1: surface.x[2], x2: surface.x[3], target: surface.y[1] });
    const curve = sine({ count: 20 });
    expect(datasetPreview(curve, 2)).toEqual({
      kind: 'curve',
      xName: 'x',
      points: [0, 1].map((i) => ({ x: curve.x[i], y: curve.y[i] })),
    });
  });

  it('shows a table as rows under column names, with class names', async () => {
    const d = await loadBuiltinDataset('iris', {}, readPublicDataset);
    const p = datasetPreview(d, 2);
    expect(p.kind).toBe('table');
    if (p.kind !== 'table') return;
    expect(p.columns).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'label']);
    expect(p.rows).toEqual([
      [...[5.1, 3.5, 1.4, 0.2].map(Math.fround), 'setosa'],
      [...[4.9, 3, 1.4, 0.2].map(Math.fround), 'setosa'],
    ]);
  });

  it('shows images as 8-bit grayscale thumbnails', async () => {
    const d = await loadBuiltinDataset('digits', {}, readPublicDataset);
    const p = datasetPreview(d, 4);
    expect(p.kind).toBe('images');
    if (p.kind !== 'images') return;
    expect([p.rows, p.cols, p.images.length]).toEqual([8, 8, 4]);
    const first = p.images[0]!;
    expect(first.pixels).toBeInstanceOf(Uint8Array);
    expect(first.pixels).toHaveLength(64);
    expect(Array.from(first.pixels)).toEqual(Array.from(d.x.subarray(0, 64), (v) => Math.round(v * 255)));
    expect(first.label).toBe(String(d.y[0]));
    expect(first.classId).toBe(d.y[0]);
  });

  it('shows a forecast series as windows with the value that follows each', () => {
    const d = sineForecast({ count: 10, seqLength: 5 });
    const p = datasetPreview(d, 600);
    expect(p).toEqual({
      kind: 'series',
      windows: [0, 1, 2].map((i) => ({ values: Array.from(d.x.subarray(5 * i, 5 * i + 5)), next: d.y[i] })),
    });
    expect(PREVIEW_LIMITS.series).toBe(3);
  });

  it('shows token sequences in their characters, with the class to name', () => {
    const d = recall({ count: 20, distance: 3 });
    const p = datasetPreview(d, 600);
    expect(p.kind).toBe('sequences');
    if (p.kind !== 'sequences') return;
    expect(p.sequences).toHaveLength(PREVIEW_LIMITS.sequences);
    p.sequences.forEach((s, i) => {
      expect(s.tokens).toEqual(Array.from(d.x.subarray(8 * i, 8 * i + 8), (id) => d.info.vocabulary![id]));
      expect(s.label).toBe(s.tokens[s.tokens.indexOf('#') + 1]);
    });
    expect(p.sequences[1]!.label).toBe('B');
  });

  it('shows a text as the stretch its first windows cover', async () => {
    const d = await loadBuiltinDataset('moby_dick', { seqLength: 16 }, readPublicDataset);
    const p = datasetPreview(d, 3);
    expect(p).toMatchObject({ kind: 'text', windowLength: 16, text: 'CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years' });
    expect(p.kind === 'text' && p.text).toHaveLength(3 * 16 + 1);
  });

  it('marks a gap between windows that do not touch with one ellipsis', () => {
    const vocabulary = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    // Windows of 2 every 4 positions over 'abcdefgh': 'ab' → 'bc', 'ef' → 'fg'; position 3 ('d') is in neither.
    const d = {
      info: { id: 't', name: 'T', task: 'sequence' as const, inputShape: [2], targetShape: [2], numClasses: 8, vocabulary, vocabSize: 8, count: 2, kind: 'text' as const, windows: { stride: 4, span: 3 } },
      x: Float32Array.from([0, 1, 4, 5]),
      y: Float32Array.from([1, 2, 5, 6]),
    };
    expect(datasetPreview(d, 2)).toMatchObject({ kind: 'text', text: 'abc…efg' });
  });

  it('stops at the end of the data', () => {
    const p = datasetPreview(spiral({ count: 5 }), 100);
    expect(p.kind === 'points' && p.points.length).toBe(5);
  });
});
