/**
 * The safetensors format (Hugging Face), written and read in TypeScript: an 8-byte little-endian
 * header length N, N bytes of JSON (each tensor's dtype, shape and [begin, end) byte offsets into
 * the data that follows, plus an optional "__metadata__" map of strings), padded with spaces to a
 * multiple of 8, then the tensors' raw little-endian bytes, back to back in header order.
 *
 * Gradflow's tensors are float32, so it writes F32; it reads F32 (and refuses other dtypes by name).
 * Reading checks everything a damaged or hostile file could get wrong — a header length past the
 * file or over HEADER_LIMIT (a 2 GB length is refused before anything is allocated), JSON that is
 * not an object of tensors, an unknown dtype, a shape whose size disagrees with its offsets,
 * offsets outside the data, overlapping or leaving gaps (as a name given twice does) — and throws
 * a SafetensorsError that says which tensor and what is wrong.
 */

/** The text codecs (workers and Node both have them; the engine's TypeScript lib names neither). */
interface Codecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}
const codecs = globalThis as unknown as Codecs;

export interface NamedTensor {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** The largest header read (the format's reference implementation refuses past 100 MB too). */
export const HEADER_LIMIT = 100_000_000;

const DTYPE = 'F32';
/** Bytes per element of the dtypes the format names, so a refusal can say what a file holds. */
const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The file: tensors in the order given, `metadata` (strings only, as the format says) under "__metadata__". */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name.length === 0) throw new SafetensorsError(`"${t.name}" cannot name a tensor`);
    if (seen.has(t.name)) throw new SafetensorsError(`two tensors are named "${t.name}"`);
    seen.add(t.name);
    if (size(t.shape) !== t.data.length) throw new SafetensorsError(`${t.name}: shape [${t.shape.join(', ')}] holds ${size(t.shape)} values, but ${t.data.length} were given`);
    const bytes = t.data.length * 4;
    header[t.name] = { dtype: DTYPE, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new codecs.TextEncoder().encode(JSON.stringify(header));
  // Padded with spaces so the data starts on an 8-byte boundary (as the reference writer does).
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i]!, true);
  }
  return out;
}

export interface SafetensorsFile {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

/** The tensors of a file (in the order of their data), or a SafetensorsError that says what is wrong. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError(`the file has ${bytes.length} bytes: too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(HEADER_LIMIT)) throw new SafetensorsError(`the header claims ${declared} bytes, over the ${HEADER_LIMIT / 1e6} MB a header may have`);
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) throw new SafetensorsError(`the header claims ${headerLength} bytes, but the file ends ${bytes.length - 8} bytes after the length (truncated?)`);
  let header: unknown;
  try {
    header = JSON.parse(new codecs.TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SafetensorsError(`the header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('the header is not a JSON object of tensors');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SafetensorsError('"__metadata__" is not a map of strings');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new SafetensorsError(`"__metadata__"."${k}" is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (typeof info !== 'object' || info === null) throw new SafetensorsError(`${name}: not a tensor entry (dtype, shape, data_offsets)`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string') throw new SafetensorsError(`${name}: no dtype`);
    if (!(dtype in DTYPE_BYTES)) throw new SafetensorsError(`${name}: unknown dtype "${dtype}"`);
    if (dtype !== DTYPE) throw new SafetensorsError(`${name}: dtype ${dtype}; Gradflow reads float32 (F32) weights only`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`${name}: the shape is not a list of sizes`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new SafetensorsError(`${name}: data_offsets is not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) throw new SafetensorsError(`${name}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) throw new SafetensorsError(`${name}: data_offsets [${begin}, ${end}] reach past the ${dataLength} bytes of data (truncated, or a header that lies)`);
    const expected = size(shape as number[]) * 4;
    if (end - begin !== expected) throw new SafetensorsError(`${name}: shape [${(shape as number[]).join(', ')}] is ${expected} bytes of F32, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    entries.push({ name, shape: shape as number[], begin, end });
  }
  // The data must be the tensors back to back: no overlaps, no gaps, nothing after.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.begin < covered) throw new SafetensorsError(`${e.name}: its bytes [${e.begin}, ${e.end}) overlap another tensor's`);
    if (e.begin > covered) throw new SafetensorsError(`${e.name}: ${e.begin - covered} bytes before it belong to no tensor`);
    covered = e.end;
  }
  if (covered !== dataLength) throw new SafetensorsError(`${dataLength - covered} bytes after the last tensor belong to no tensor`);
  const tensors = entries.map((e) => {
    const data = new Float32Array((e.end - e.begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + e.begin + i * 4, true);
    return { name: e.name, shape: e.shape, data };
  });
  return { tensors, metadata };
}
