/**
 * A document as `gradflow.model` text and back: the one format autosave, files and share links
 * all carry, so each goes through the same migrations, schema and error messages.
 */
import { parseModel, serializeModel, type ModelIssue } from '../../engine/model';
import { fromModelDefinition, toModelDefinition, type GraphDocument } from '../graph/document';

export type ReadResult = { ok: true; doc: GraphDocument; warnings: string[] } | { ok: false; problems: string[] };

/** The document as model-file text (stable key order, layout positions rounded to 0.1). */
export function writeModelText(doc: GraphDocument): string {
  return serializeModel(toModelDefinition(doc));
}

/** Reads model-file text; a refusal lists every problem, each starting with where it is. */
export function readModelText(text: string): ReadResult {
  const parsed = parseModel(text);
  if (!parsed.ok) return { ok: false, problems: messages(parsed.errors) };
  return { ok: true, doc: fromModelDefinition(parsed.model), warnings: messages(parsed.warnings) };
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
