/**
 * Share links: the model in the URL hash, `#model=<base64url(zlib(model JSON))>`. The hash never
 * reaches a server, so a link shares a model without any backend.
 *
 * The JSON is the model file's (same key order) without its indentation; zlib is deflate with an
 * Adler-32 checksum, which is checked on the way in (fflate does not), so a link damaged in
 * transit is refused rather than read as a slightly different model. Inflating stops at the
 * model-size cap, so a crafted link cannot exhaust memory.
 *
 * A link carries the model, never the user's CSV: a table's rows do not belong in a URL that chat
 * apps preview and servers log, and even a small one would make the link unwieldy. Whoever opens
 * it uploads the data themselves; to share both, export the model with its CSV data.
 *
 * A link may carry the run's trained weights too, as a second parameter
 * `&weights=<base64url(zlib(safetensors))>`, when they compress to at most
 * MAX_SHARE_WEIGHTS_BYTES (64 KB: about 16,000 float32 parameters, which barely compress; the
 * link then grows by up to 87,000 characters). Larger weights travel in a file (Export, "Model +
 * trained weights"); the Share notice says so.
 */
import { Inflate, strToU8, zlibSync } from 'fflate';
import { fromBase64Url, toBase64Url } from '../../engine/export/base64';
import { decodeSafetensors, SafetensorsError } from '../../engine/export/safetensors';
import type { GraphDocument } from '../graph/document';
import { MAX_MODEL_BYTES } from './file';
import { readModelText, summarizeProblems, writeModelText } from './model-text';

export const SHARE_PARAM = 'model';
export const WEIGHTS_PARAM = 'weights';
/** The most compressed weights a link carries. */
export const MAX_SHARE_WEIGHTS_BYTES = 64 * 1024;
/** The most a link's weights may inflate to (a crafted link must not exhaust memory). */
const MAX_SHARE_WEIGHTS_INFLATED = 16 * 1024 * 1024;
/** Links longer than this are refused unread (browsers and chat apps cut far shorter ones). */
export const MAX_SHARE_HASH_LENGTH = 2_000_000;

/** `weights`: the safetensors file the link carries, checked to be readable. */
export type ShareDecodeResult = { ok: true; doc: GraphDocument; warnings: string[]; weights?: Uint8Array } | { ok: false; message: string };

/** The hash of a link that opens `doc`, starting with `#` (with `weights`, already compressed by compressShareWeights). */
export function encodeShareHash(doc: GraphDocument, weights?: CompressedWeights): string {
  const compact = JSON.stringify(JSON.parse(writeModelText(doc)));
  const model = `#${SHARE_PARAM}=${toBase64Url(zlibSync(strToU8(compact), { level: 9 }))}`;
  return weights ? `${model}&${WEIGHTS_PARAM}=${toBase64Url(weights.zlib)}` : model;
}

export interface CompressedWeights {
  zlib: Uint8Array;
  /** Whether they fit in a link (at most MAX_SHARE_WEIGHTS_BYTES). */
  fits: boolean;
}

/** A safetensors file compressed as a link carries it, and whether it fits in one. */
export function compressShareWeights(safetensors: Uint8Array): CompressedWeights {
  const zlib = zlibSync(safetensors, { level: 9 });
  return { zlib, fits: zlib.length <= MAX_SHARE_WEIGHTS_BYTES };
}

/**
 * The model a link's hash carries (`location.hash`, with or without the `#`), or null when it
 * carries none. A damaged link is refused with what is wrong with it.
 */
export function decodeShareHash(hash: string): ShareDecodeResult | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const data = params.get(SHARE_PARAM);
  if (data === null) return null;
  const refuse = (why: string): ShareDecodeResult => ({ ok: false, message: `This share link cannot be opened: ${why}.` });
  const damaged = 'the link is damaged or incomplete (was it cut off when copied?)';

  if (data === '') return refuse('it holds no model');
  if (data.length > MAX_SHARE_HASH_LENGTH) return refuse(`it is ${data.length} characters long, more than the ${MAX_SHARE_HASH_LENGTH} a link may have`);
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(data)) return refuse(`${damaged}: it has characters a share link does not use`);
  const bytes = fromBase64Url(data);
  if (!bytes) return refuse(damaged); // a length no base64 text has: cut off

  const inflated = unzlibChecked(bytes, MAX_MODEL_BYTES);
  if (!inflated.ok) return refuse(inflated.tooLarge ? `the model in it is larger than ${MAX_MODEL_BYTES / (1024 * 1024)} MB` : damaged);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return refuse(`${damaged}: its model is not text`);
  }
  const read = readModelText(text);
  if (!read.ok) return refuse(`its model is not valid: ${summarizeProblems(read.problems)}`);
  // Gradflow never writes data into a link; one that holds some was made by hand, and is not trusted with it.
  const warnings = read.data?.text !== undefined ? [...read.warnings, 'the CSV data in the link was left out (links carry models, not data)'] : read.warnings;

  // Weights come in their own parameter, not embedded in the model (base64 inside base64).
  let weights = read.weights;
  const weightsParam = params.get(WEIGHTS_PARAM);
  if (weightsParam !== null) {
    const damagedWeights = 'the trained weights in it are damaged or incomplete (was it cut off when copied?)';
    if (weightsParam.length > MAX_SHARE_HASH_LENGTH) return refuse(`its trained weights are ${weightsParam.length} characters long, more than the ${MAX_SHARE_HASH_LENGTH} a link may have`);
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(weightsParam)) return refuse(damagedWeights);
    const zlib = fromBase64Url(weightsParam);
    if (!zlib) return refuse(damagedWeights);
    const inflatedWeights = unzlibChecked(zlib, MAX_SHARE_WEIGHTS_INFLATED);
    if (!inflatedWeights.ok) return refuse(inflatedWeights.tooLarge ? `the trained weights in it are larger than ${MAX_SHARE_WEIGHTS_INFLATED / (1024 * 1024)} MB` : damagedWeights);
    try {
      decodeSafetensors(inflatedWeights.bytes);
    } catch (e) {
      if (e instanceof SafetensorsError) return refuse(`its trained weights are not a readable safetensors file: ${e.message}`);
      throw e;
    }
    weights = inflatedWeights.bytes;
  }
  return { ok: true, doc: read.doc, warnings, ...(weights ? { weights } : {}) };
}

type Unzlibbed = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: boolean };

/** Zlib data (RFC 1950) to bytes, checking the header and the Adler-32 of the output, stopping past `maxBytes`. */
function unzlibChecked(data: Uint8Array, maxBytes: number): Unzlibbed {
  const [cmf, flg] = data;
  // Deflate method, window ≤ 32 KiB, no preset dictionary, header checksum.
  if (cmf === undefined || flg === undefined || data.length < 7 || (cmf & 0x0f) !== 8 || cmf >> 4 > 7 || flg & 0x20 || ((cmf << 8) | flg) % 31 !== 0) {
    return { ok: false, tooLarge: false };
  }
  const body = data.subarray(2, -4);
  const trailer = data.subarray(-4);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) tooLarge = true;
    else chunks.push(chunk);
  });
  // Small pieces, so that at most about a megabyte is inflated past the cap (deflate expands ≤ 1032×).
  const PIECE = 1024;
  try {
    for (let at = 0; at < body.length && !tooLarge; at += PIECE) inflate.push(body.subarray(at, at + PIECE), at + PIECE >= body.length);
  } catch {
    return { ok: false, tooLarge: false };
  }
  if (tooLarge) return { ok: false, tooLarge: true };
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  const expected = ((trailer[0] ?? 0) * 2 ** 24 + ((trailer[1] ?? 0) << 16) + ((trailer[2] ?? 0) << 8) + (trailer[3] ?? 0)) >>> 0;
  return adler32(out) === expected ? { ok: true, bytes: out } : { ok: false, tooLarge: false };
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // Reduced every 5552 bytes as zlib does (its NMAX); doubles would not overflow anyway.
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

