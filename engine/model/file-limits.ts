/**
 * How large a model file may be: one limit for the app (Open, drop) and `npm run train`, so the
 * command never trains a file the app refuses, nor refuses one the app opens.
 */
import { formatBytes } from '../data/csv';
import { base64Length } from '../export/base64';
import { MODEL_DATA_LIMITS } from './schema';

export const MODEL_FILE_LIMITS = {
  /** The model without data: a model of thousands of layers is far smaller (share links carry no more). */
  modelBytes: 5 * 1024 * 1024,
  /**
   * A file is refused unread past this: the model, a CSV at the format's limit, which JSON's
   * escapes (of newlines, quotes) at most double, and embedded weights at theirs, in base64.
   */
  fileBytes: 5 * 1024 * 1024 + 2 * MODEL_DATA_LIMITS.csvBytes + base64Length(MODEL_DATA_LIMITS.weightsBytes),
} as const;

/** Why a model file of `bytes` is refused before it is read, or undefined when its size is fine. */
export function modelFileSizeProblem(bytes: number): string | undefined {
  if (bytes <= MODEL_FILE_LIMITS.fileBytes) return undefined;
  return `the file is ${formatBytes(bytes)}, more than the ${formatBytes(MODEL_FILE_LIMITS.fileBytes)} a model file may have (is it a model file?)`;
}
