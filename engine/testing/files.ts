/** Test helpers that read the repository's files (tests run under Node; the engine itself does no I/O). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModel, type ModelDefinition } from '../model';
import type { ReadDatasetFile } from '../data';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Reads dataset files the way the app serves them: from public/datasets. */
export const readDatasetFile: ReadDatasetFile = async (name) => new Uint8Array(readFileSync(`${root}public/datasets/${name}`));

/** One of the example model files in examples/, parsed and validated. */
export function loadExample(file: string): ModelDefinition {
  const result = parseModel(readFileSync(`${root}examples/${file}`, 'utf8'));
  if (!result.ok) throw new Error(`examples/${file}: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return result.model;
}
