/**
 * Weights inside a model file (`weights` in the format, engine/model/schema.ts): the safetensors
 * file base64-encoded, so one `.gradflow.json` carries a trained model, and a file without them
 * stays what it was. Opening one restores the weights bit for bit: float32 in, float32 out.
 */
import type { EmbeddedWeights } from '../model';
import { fromBase64, toBase64 } from './base64';
import { decodeSafetensors, SafetensorsError, type NamedTensor } from './safetensors';

/** A safetensors file as the model file's `weights` field. */
export function embedWeights(safetensors: Uint8Array): EmbeddedWeights {
  return { format: 'safetensors', encoding: 'base64', data: toBase64(safetensors) };
}

export type EmbeddedRead = { ok: true; bytes: Uint8Array; tensors: NamedTensor[] } | { ok: false; problem: string };

/**
 * The safetensors bytes and tensors a model file's `weights` field holds, or why they cannot be
 * read ("weights: not a readable safetensors file: …"). Whether they fit the graph is for loadWeights.
 */
export function readEmbeddedWeights(weights: EmbeddedWeights): EmbeddedRead {
  const bytes = fromBase64(weights.data);
  if (!bytes) return { ok: false, problem: 'weights.data: not base64; the weights in this file are damaged' };
  try {
    return { ok: true, bytes, tensors: decodeSafetensors(bytes).tensors };
  } catch (e) {
    if (e instanceof SafetensorsError) return { ok: false, problem: `weights: not a readable safetensors file: ${e.message}` };
    throw e;
  }
}
