/**
 * The first samples of a dataset in a form the dataset picker can draw without knowing the
 * buffer layout: points for 2D inputs, (x, y) pairs for 1D regression, rows with column names
 * for tables, 8-bit grayscale thumbnails for images, windows of a series with the value to
 * forecast, token sequences with their class, and the opening of a text.
 */
import { displayCharacter } from './text';
import type { Dataset, DatasetInfo } from './types';

/** A 2D input point with its class id (classification) or target value (regression). */
export interface PreviewPoint {
  x1: number;
  x2: number;
  /** Class id for classification, the target value for regression. */
  target: number;
  /** The class name, for classification. */
  label?: string;
}

export interface PreviewImage {
  /** rows × cols bytes, row-major, 0 = black, 255 = white. */
  pixels: Uint8Array;
  classId: number;
  label: string;
}

/** A window of a series (one value per step) and the value after it, which the model forecasts. */
export interface PreviewSeries {
  values: number[];
  next: number;
}

/** A token sequence, each token shown as its character, and its class name. */
export interface PreviewSequence {
  tokens: string[];
  label: string;
}

export type DatasetPreview =
  | { kind: 'points'; featureNames: [string, string]; points: PreviewPoint[] }
  | { kind: 'curve'; xName: string; points: { x: number; y: number }[] }
  | { kind: 'table'; columns: string[]; rows: (number | string)[][] }
  | { kind: 'images'; rows: number; cols: number; images: PreviewImage[] }
  | { kind: 'series'; windows: PreviewSeries[] }
  | { kind: 'sequences'; sequences: PreviewSequence[] }
  /** The text the first windows cover, in its own characters; `windowLength` characters per sample. */
  | { kind: 'text'; text: string; windowLength: number; vocabulary: string[] };

/** At most this many series windows and token sequences, whatever `n` asks: more do not fit a picker. */
export const PREVIEW_LIMITS = { series: 3, sequences: 8 } as const;

/** A preview of the first `n` samples (windows, for a text). */
export function datasetPreview(dataset: Dataset, n: number): DatasetPreview {
  const { info, x, y } = dataset;
  const count = Math.max(0, Math.min(n, info.count));
  const sampleSize = info.inputShape.reduce((a, b) => a * b, 1);
  const sequencePreview = previewSequences(dataset, count, sampleSize);
  if (sequencePreview) return sequencePreview;
  const names = info.featureNames ?? Array.from({ length: sampleSize }, (_, f) => `x${f + 1}`);
  const classified = info.targetShape.length === 0;
  const label = (i: number): string | undefined => (classified ? (info.classNames?.[y[i]!] ?? String(y[i])) : undefined);
  const indices = Array.from({ length: count }, (_, i) => i);

  if (info.inputShape.length === 3) {
    const [rows = 0, cols = 0] = info.inputShape;
    const images = indices.map((i) => {
      const pixels = new Uint8Array(rows * cols);
      const channels = sampleSize / (rows * cols);
      // Several channels are averaged to gray; one channel is copied.
      for (let p = 0; p < rows * cols; p++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += x[i * sampleSize + p * channels + c]!;
        pixels[p] = Math.round(Math.min(1, Math.max(0, sum / channels)) * 255);
      }
      return { pixels, classId: y[i]!, label: label(i) ?? String(y[i]) };
    });
    return { kind: 'images', rows, cols, images };
  }

  const targetSize = info.targetShape.reduce((a, b) => a * b, 1);
  if (info.kind !== 'table' && sampleSize === 2 && targetSize === 1) {
    const points = indices.map((i) => {
      const point: PreviewPoint = { x1: x[2 * i]!, x2: x[2 * i + 1]!, target: y[i]! };
      const name = label(i);
      if (name !== undefined) point.label = name;
      return point;
    });
    return { kind: 'points', featureNames: [names[0] ?? 'x1', names[1] ?? 'x2'], points };
  }
  if (info.kind !== 'table' && sampleSize === 1 && !classified && targetSize === 1) {
    return { kind: 'curve', xName: names[0] ?? 'x', points: indices.map((i) => ({ x: x[i]!, y: y[i]! })) };
  }

  const targetName = info.targetName ?? (classified ? 'label' : 'target');
  const columns = [...names, ...(targetSize === 1 ? [targetName] : Array.from({ length: targetSize }, (_, t) => `${targetName}[${t}]`))];
  const rows = indices.map((i) => {
    const row: (number | string)[] = Array.from(x.subarray(i * sampleSize, (i + 1) * sampleSize));
    if (classified) row.push(label(i)!);
    else row.push(...y.subarray(i * targetSize, (i + 1) * targetSize));
    return row;
  });
  return { kind: 'table', columns, rows };
}

/** The previews of sequence datasets: a text, token sequences, or windows of a series; null for the others. */
function previewSequences({ info, x, y }: Dataset, count: number, steps: number): DatasetPreview | null {
  const { vocabulary } = info;
  if (info.kind === 'text' && vocabulary) return { kind: 'text', text: coveredText(info, x, y, count, vocabulary), windowLength: steps, vocabulary };
  if (vocabulary && info.inputShape.length === 1 && info.targetShape.length === 0) {
    const sequences = Array.from({ length: Math.min(count, PREVIEW_LIMITS.sequences) }, (_, i) => ({
      tokens: Array.from(x.subarray(i * steps, (i + 1) * steps), (id) => displayCharacter(vocabulary[id] ?? '?')),
      label: info.classNames?.[y[i]!] ?? String(y[i]),
    }));
    return { kind: 'sequences', sequences };
  }
  const [, channels] = info.inputShape;
  if (info.task === 'regression' && info.inputShape.length === 2 && channels === 1 && info.targetShape.length === 1 && info.targetShape[0] === 1) {
    const windows = Array.from({ length: Math.min(count, PREVIEW_LIMITS.series) }, (_, i) => ({ values: Array.from(x.subarray(i * steps, (i + 1) * steps)), next: y[i]! }));
    return { kind: 'series', windows };
  }
  return null;
}

/** The stretch of text the first `count` windows cover: each window's inputs, then its last target. */
function coveredText(info: DatasetInfo, x: Float32Array, y: Float32Array, count: number, vocabulary: string[]): string {
  const steps = info.inputShape[0] ?? 0;
  const stride = info.windows?.stride ?? steps;
  const chars: string[] = [];
  for (let w = 0; w < count; w++) {
    for (let k = 0; k < steps; k++) chars[w * stride + k] = vocabulary[x[w * steps + k]!] ?? '';
    chars[w * stride + steps] = vocabulary[y[w * steps + steps - 1]!] ?? '';
  }
  // Windows further apart than their span leave gaps: one ellipsis for each.
  let text = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch !== undefined) text += ch;
    else if (chars[i - 1] !== undefined) text += '…';
  }
  return text;
}
