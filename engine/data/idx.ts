/**
 * IDX files (the MNIST layout): a big-endian header — two zero bytes, a data type byte (0x08 =
 * unsigned byte, the only one used here), the number of dimensions — then one 32-bit size per
 * dimension and the raw data. Images are magic 0x00000803 (count, rows, cols), labels 0x00000801
 * (count). Gzipped files (first bytes 1f 8b) are inflated first, so a server that already
 * decompressed them works too.
 */
import { gunzipSync } from 'fflate';
import { DatasetError } from './types';
import type { Dataset } from './types';

export interface IdxFile {
  /** Sizes from the header, e.g. [10000, 28, 28]. */
  dims: number[];
  /** The raw bytes after the header (a view, not a copy). */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX file of unsigned bytes; `source` (a file name) prefixes error messages. */
export function parseIdx(bytes: Uint8Array, source = 'IDX file'): IdxFile {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DatasetError(`${source}: the gzip data is damaged or cut short (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  if (bytes.length < 4) {
    throw new DatasetError(`${source}: ${bytes.length} bytes is too short for an IDX header.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const ndims = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || ndims === 0) {
    throw new DatasetError(`${source}: not an IDX file of unsigned bytes (magic number ${hex(magic)}; expected 0x00000801 or 0x00000803).`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${source}: the file is cut short inside its header (${bytes.length} of ${headerBytes} bytes).`);
  }
  const dims = Array.from({ length: ndims }, (_, d) => view.getUint32(4 + 4 * d));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    const what = actual < expected ? 'the file is cut short' : 'the file has extra bytes';
    throw new DatasetError(`${source}: ${what}: the header (${dims.join(' × ')}) promises ${expected} data bytes, the file has ${actual}.`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

export interface ImageDatasetOptions {
  id: string;
  name: string;
  /** An IDX image file (magic 0x00000803), gzipped or raw. */
  images: Uint8Array;
  /** An IDX label file (magic 0x00000801), gzipped or raw. */
  labels: Uint8Array;
  /** The largest pixel value: 255 for MNIST, 16 for the 8×8 digits. Pixels become value / scale. */
  scale: 255 | 16;
  classNames: string[];
  description?: string;
  /** File names for error messages. */
  sources?: { images: string; labels: string };
}

/** A grayscale image classification dataset: inputShape [rows, cols, 1], pixels in [0, 1]. */
export function imageDataset(options: ImageDatasetOptions): Dataset {
  const imagesName = options.sources?.images ?? 'image file';
  const labelsName = options.sources?.labels ?? 'label file';
  const images = parseIdx(options.images, imagesName);
  const labels = parseIdx(options.labels, labelsName);
  if (images.dims.length !== 3) {
    throw new DatasetError(`${imagesName}: expected images (3 dimensions: count, rows, cols), found ${images.dims.length} dimension(s).`);
  }
  if (labels.dims.length !== 1) {
    throw new DatasetError(`${labelsName}: expected labels (1 dimension: count), found ${labels.dims.length} dimensions.`);
  }
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new DatasetError(`${labelsName}: ${labels.dims[0]} labels for ${count} images in ${imagesName}.`);
  }
  const numClasses = options.classNames.length;
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i]!;
    if (label >= numClasses) {
      throw new DatasetError(`${labelsName}: image ${i + 1} has label ${label}, outside 0..${numClasses - 1}.`, { row: i + 1 });
    }
    y[i] = label;
  }
  const pixels = images.data;
  const x = new Float32Array(pixels.length);
  const scale = options.scale;
  let max = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v > max) max = v;
    x[i] = v / scale;
  }
  if (max > scale) {
    throw new DatasetError(`${imagesName}: a pixel has value ${max}, above the stated maximum ${scale}.`);
  }
  return {
    info: {
      id: options.id,
      name: options.name,
      task: 'multiclass',
      inputShape: [rows, cols, 1],
      targetShape: [],
      numClasses,
      classNames: options.classNames,
      count,
      description: options.description ?? `${count} grayscale images, ${rows}×${cols}, ${numClasses} classes`,
      kind: 'images',
    },
    x,
    y,
  };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
