/**
 * Model files (`.gradflow.json`): export a document, import one back. An import is refused as a
 * whole with what is wrong and where ("spiral.gradflow.json: nodes[2].type: must not be empty"),
 * so the graph on the canvas stays as it was. A file may carry the user's CSV beside the model
 * (the format's `data` field), and the run's trained weights (its `weights` field), when the user
 * asked for them on export.
 */
import { utf8Length } from '../../engine/data/csv';
import { MODEL_FILE_LIMITS, modelFileSizeProblem, type ModelData } from '../../engine/model';
import type { GraphDocument } from '../graph/document';
import { readModelText, summarizeProblems, writeModelText } from './model-text';

export const FILE_EXTENSION = '.gradflow.json';
export const DEFAULT_FILE_NAME = `model${FILE_EXTENSION}`;
/** The most a model takes without data (share links carry no more); the limits are the engine's, which `npm run train` reads too. */
export const MAX_MODEL_BYTES = MODEL_FILE_LIMITS.modelBytes;
/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = MODEL_FILE_LIMITS.fileBytes;

export type ImportResult =
  /** `data`: the CSV the file carries, when it carries one; `weights`: its trained weights (safetensors), when it has them. */
  | { ok: true; doc: GraphDocument; warnings: string[]; data?: ModelData; weights?: Uint8Array }
  /** `message` names the file and the first problem; `problems` lists them all. */
  | { ok: false; message: string; problems: string[] };

const MAX_SLUG_LENGTH = 60;
/** Names Windows will not create a file under, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;

/** The file name for a document: "Spiral MLP" → `spiral-mlp.gradflow.json`; no usable name → `model.gradflow.json`. */
export function exportFileName(doc: Pick<GraphDocument, 'name'>): string {
  const slug = (doc.name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents: "Café" → "cafe"
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  if (slug === '') return DEFAULT_FILE_NAME;
  return `${RESERVED.test(slug) ? `${slug}-model` : slug}${FILE_EXTENSION}`;
}

/** The file's text: the model definition with its layout (and `data`, and the safetensors `weights`, when given), in a stable key order. */
export function exportText(doc: GraphDocument, data?: ModelData, weights?: Uint8Array): string {
  return writeModelText(doc, data, weights);
}

/** Reads the text of a model file. `fileName` prefixes the message, to say which file is wrong. */
export function importText(text: string, fileName?: string): ImportResult {
  const tooLarge = modelFileSizeProblem(utf8Length(text));
  if (tooLarge) return refuse([tooLarge], fileName);
  const read = readModelText(text);
  return read.ok ? read : refuse(read.problems, fileName);
}

/** Reads a picked or dropped file, refusing one that is too large before reading it. */
export async function importFile(file: Blob & { readonly name?: string }): Promise<ImportResult> {
  const tooLarge = modelFileSizeProblem(file.size);
  if (tooLarge) return refuse([tooLarge], file.name);
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return refuse([`the file could not be read (${e instanceof Error ? e.message : String(e)})`], file.name);
  }
  return importText(text, file.name);
}

function refuse(problems: string[], fileName: string | undefined): ImportResult {
  const summary = summarizeProblems(problems);
  return { ok: false, message: fileName ? `${fileName}: ${summary}` : summary, problems };
}
