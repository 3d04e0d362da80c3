/**
 * A document as `gradflow.model` text and back: the one format autosave, files and share links
 * all carry, so each goes through the same migrations, schema and error messages. The user's CSV
 * is not part of the document: a file may carry it beside the model (the format's `data` field),
 * and trained weights too (its `weights` field: the run's, which live in the worker, not the document).
 */
import { embedWeights, readEmbeddedWeights } from '../../engine/export/embedded';
import { parseModel, serializeModel, type ModelData, type ModelIssue } from '../../engine/model';
import { fromModelDefinition, toModelDefinition, type GraphDocument } from '../graph/document';

/**
 * `data` and `weights` are present only when the text carries them; `weights` is a safetensors file,
 * checked to be readable (whether it fits the graph is for the run that takes it).
 */
export type ReadResult = { ok: true; doc: GraphDocument; warnings: string[]; data?: ModelData; weights?: Uint8Array } | { ok: false; problems: string[] };

/**
 * The document as model-file text (stable key order, layout positions rounded to 0.1), with `data`
 * when given, and `weights` (a safetensors file) embedded when given.
 */
export function writeModelText(doc: GraphDocument, data?: ModelData, weights?: Uint8Array): string {
  const model = toModelDefinition(doc);
  return serializeModel({ ...model, ...(data ? { data } : {}), ...(weights ? { weights: embedWeights(weights) } : {}) });
}

export type CheckedText = { ok: true; text: string } | { ok: false; problem: string };

/**
 * The document as model-file text, checked to read back as the same text: a save that the next
 * load would refuse (or read as something else) is never written over one that loads.
 */
export function writeCheckedModelText(doc: GraphDocument): CheckedText {
  let text: string;
  try {
    text = writeModelText(doc);
  } catch (e) {
    return { ok: false, problem: `it could not be written as a model (${String(e)})` };
  }
  const read = readModelText(text);
  if (!read.ok) return { ok: false, problem: `it would not load again: ${summarizeProblems(read.problems)}` };
  if (writeModelText(read.doc) !== text) return { ok: false, problem: 'it would load again as a different graph' };
  return { ok: true, text };
}

/** Reads model-file text; a refusal lists every problem, each starting with where it is. */
export function readModelText(text: string): ReadResult {
  const parsed = parseModel(text);
  if (!parsed.ok) return { ok: false, problems: messages(parsed.errors) };
  const { data } = parsed.model;
  let weights: Uint8Array | undefined;
  if (parsed.model.weights) {
    const read = readEmbeddedWeights(parsed.model.weights);
    if (!read.ok) return { ok: false, problems: [read.problem] };
    weights = read.bytes;
  }
  return { ok: true, doc: fromModelDefinition(parsed.model), warnings: messages(parsed.warnings), ...(data ? { data } : {}), ...(weights ? { weights } : {}) };
}

/** The first problem, and how many more there are: "nodes[2].type: must not be empty (and 2 more problems)". */
export function summarizeProblems(problems: readonly string[]): string {
  const [first, ...rest] = problems;
  if (first === undefined) return 'the model could not be read';
  return rest.length === 0 ? first : `${first} (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
}

function messages(issues: readonly ModelIssue[]): string[] {
  return issues.map((issue) => issue.message);
}
