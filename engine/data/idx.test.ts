import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'fflate';
import { imageDataset, parseIdx } from './idx';
import { DatasetError } from './types';
import { readDatasetFile as readPublicDataset } from '../testing/files';

/** A raw IDX file of unsigned bytes with the given dims. */
function idx(dims: number[], data: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x0800 + dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(data, 4 + 4 * dims.length);
  return bytes;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('parseIdx', () => {
  it('reads the header dims and the data, big-endian', () => {
    const file = parseIdx(idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(file.dims).toEqual([2, 2, 3]);
    expect(Array.from(file.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(parseIdx(idx([300], new Array<number>(300).fill(7))).dims).toEqual([300]);
  });

  it('reads gzipped and raw files alike', () => {
    const raw = idx([3], [0, 1, 2]);
    expect(parseIdx(gzipSync(raw))).toEqual(parseIdx(raw));
  });

  it('reads a file that is a view into a larger buffer', () => {
    const raw = idx([3], [4, 5, 6]);
    const padded = new Uint8Array(raw.length + 8);
    padded.set(raw, 5);
    expect(Array.from(parseIdx(padded.subarray(5, 5 + raw.length)).data)).toEqual([4, 5, 6]);
  });

  it('refuses truncated and wrong files with a clear message', () => {
    const raw = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseIdx(raw.subarray(0, raw.length - 3), 'x.idx')).toThrow(
      'x.idx: the file is cut short: the header (2 × 2 × 2) promises 8 data bytes, the file has 5.',
    );
    expect(() => parseIdx(raw.subarray(0, 9), 'x.idx')).toThrow('x.idx: the file is cut short inside its header (9 of 16 bytes).');
    expect(() => parseIdx(raw.subarray(0, 2), 'x.idx')).toThrow('x.idx: 2 bytes is too short for an IDX header.');
    expect(() => parseIdx(idx([2], [1, 2, 3]))).toThrow(/the file has extra bytes/);
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    expect(() => parseIdx(png, 'a.png')).toThrow('a.png: not an IDX file of unsigned bytes (magic number 0x89504e47; expected 0x00000801 or 0x00000803).');
    const gz = gzipSync(raw);
    expect(() => parseIdx(gz.subarray(0, gz.length - 6), 'x.gz')).toThrow(/^x\.gz: the gzip data is damaged or cut short/);
    expect(() => parseIdx(gz.subarray(0, gz.length - 6))).toThrow(DatasetError);
  });
});

describe('imageDataset', () => {
  it('scales pixels to [0, 1] and shapes samples as [rows, cols, 1]', () => {
    const d = imageDataset({
      id: 'tiny',
      name: 'Tiny',
      images: idx([2, 1, 2], [0, 16, 8, 4]),
      labels: idx([2], [3, 1]),
      scale: 16,
      classNames: DIGITS,
    });
    expect(d.info.inputShape).toEqual([1, 2, 1]);
    expect(d.info.targetShape).toEqual([]);
    expect(d.info.task).toBe('multiclass');
    expect(d.info.numClasses).toBe(10);
    expect(d.info.kind).toBe('images');
    expect(Array.from(d.x)).toEqual([0, 1, 0.5, 0.25]);
    expect(Array.from(d.y)).toEqual([3, 1]);
  });

  it('refuses mismatched, swapped or out-of-range files', () => {
    const images = idx([2, 1, 1], [0, 255]);
    const labels = idx([2], [0, 1]);
    const base = { id: 't', name: 'T', scale: 255 as const, classNames: ['a', 'b'], sources: { images: 'i.gz', labels: 'l.gz' } };
    expect(() => imageDataset({ ...base, images, labels: idx([3], [0, 1, 1]) })).toThrow('l.gz: 3 labels for 2 images in i.gz.');
    expect(() => imageDataset({ ...base, images: labels, labels: images })).toThrow(/i\.gz: expected images \(3 dimensions/);
    expect(() => imageDataset({ ...base, images, labels: idx([2], [0, 2]) })).toThrow('l.gz: image 2 has label 2, outside 0..1.');
    expect(() => imageDataset({ ...base, images, labels, scale: 16 })).toThrow('i.gz: a pixel has value 255, above the stated maximum 16.');
  });
});

describe('the shipped image files', () => {
  it.each([
    { prefix: 'mnist-10000', count: 10000, side: 28, scale: 255 },
    { prefix: 'fashion-5000', count: 5000, side: 28, scale: 255 },
    { prefix: 'digits-8x8', count: 1797, side: 8, scale: 16 },
  ])('$prefix: $count images of $side×$side, labels 0..9, every class present', async ({ prefix, count, side, scale }) => {
    const [images, labels] = await Promise.all([
      readPublicDataset(`${prefix}-images-idx3-ubyte.gz`),
      readPublicDataset(`${prefix}-labels-idx1-ubyte.gz`),
    ]);
    const imageFile = parseIdx(images);
    expect(imageFile.dims).toEqual([count, side, side]);
    expect(imageFile.data.reduce((a, b) => Math.max(a, b), 0)).toBe(scale);
    const labelFile = parseIdx(labels);
    expect(labelFile.dims).toEqual([count]);
    expect(new Set(labelFile.data)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));

    // The decompressed file parses the same (a server may have inflated it already).
    expect(parseIdx(gunzipSync(labels)).data).toEqual(labelFile.data);

    const d = imageDataset({ id: prefix, name: prefix, images, labels, scale: scale as 255 | 16, classNames: DIGITS });
    expect(d.info.count).toBe(count);
    expect(d.x).toHaveLength(count * side * side);
    expect(d.x.reduce((a, b) => Math.max(a, b), 0)).toBe(1);
    expect(d.x.reduce((a, b) => Math.min(a, b), 1)).toBe(0);
  });

  it('loads MNIST (gunzip + scaling) well under a second', async () => {
    const [images, labels] = await Promise.all([
      readPublicDataset('mnist-10000-images-idx3-ubyte.gz'),
      readPublicDataset('mnist-10000-labels-idx1-ubyte.gz'),
    ]);
    // Best of three, so that other test files running in parallel do not make it flaky.
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = Date.now();
      imageDataset({ id: 'mnist', name: 'MNIST', images, labels, scale: 255, classNames: DIGITS });
      best = Math.min(best, Date.now() - start);
    }
    expect(best).toBeLessThan(1000); // about 150 ms on a laptop
  });
});
