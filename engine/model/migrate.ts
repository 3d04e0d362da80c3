/**
 * Migrations of saved model files, in the manner of tldraw: every change to the format raises
 * CURRENT_VERSION by one and adds one step `{ from: n, to: n + 1, up }` that rewrites a file of
 * version n into version n + 1. A file is brought up to date by running the steps from its own
 * version, in order; then the schema checks it. A file from a newer Gradflow is refused, never
 * guessed at.
 *
 * Steps work on raw JSON, before any validation: they rename and move what they recognize, leave
 * everything else alone (the schema reports it), never throw, and never modify their input.
 */
import { describeValue, type ModelIssue } from './errors';

export const MODEL_FORMAT = 'gradflow.model';
export const CURRENT_VERSION = 1;

export type JsonObject = Record<string, unknown>;

export interface Migration {
  from: number;
  to: number;
  /** What changed, for the changelog and the tests. */
  description: string;
  up(json: JsonObject): JsonObject;
}

export type MigrateResult =
  | { ok: true; json: JsonObject; fromVersion: number }
  | { ok: false; error: ModelIssue };

/**
 * Version 0, the pre-release draft: edges had `from` / `to` / `slot`, and the only training
 * settings were top-level `dataset`, `lr` and `batch`.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: "edges' from/to/slot become source/target/targetSlot; top-level dataset/lr/batch move into training",
  up(json) {
    const { dataset, lr, batch, edges, ...rest } = json;
    const training: JsonObject = {};
    if (dataset !== undefined) training.dataset = dataset;
    if (lr !== undefined) training.learningRate = lr;
    if (batch !== undefined) training.batchSize = batch;
    const out: JsonObject = { ...rest, training };
    if (edges !== undefined) out.edges = Array.isArray(edges) ? edges.map(renameEdgeEnds) : edges;
    return out;
  },
};

function renameEdgeEnds(edge: unknown): unknown {
  if (!isJsonObject(edge)) return edge;
  const { from, to, slot, ...rest } = edge;
  const out: JsonObject = { ...rest };
  if (from !== undefined) out.source = from;
  if (to !== undefined) out.target = to;
  if (slot !== undefined) out.targetSlot = slot;
  return out;
}

/** Every step, oldest first; steps[i].from === i. */
export const MIGRATIONS: readonly Migration[] = [v0ToV1];

/** Checks that `json` is a Gradflow model file and brings it up to CURRENT_VERSION. */
export function migrate(json: unknown): MigrateResult {
  return migrateWith(json, MIGRATIONS, CURRENT_VERSION);
}

/** `migrate` over any list of steps; the tests use it to exercise the runner on longer chains. */
export function migrateWith(json: unknown, steps: readonly Migration[], currentVersion: number): MigrateResult {
  const refuse = (message: string): MigrateResult => ({ ok: false, error: { path: '', message } });
  if (!isJsonObject(json)) {
    const found = Array.isArray(json) ? 'a list' : describeValue(json);
    return refuse(`not a Gradflow model file: expected a JSON object with "format": "${MODEL_FORMAT}", got ${found}`);
  }
  if (json.format !== MODEL_FORMAT) {
    const found = json.format === undefined ? 'it is missing' : `got ${describeValue(json.format)}`;
    return refuse(`not a Gradflow model file: 'format' should be '${MODEL_FORMAT}', ${found}`);
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    const found = version === undefined ? 'it is missing' : `got ${describeValue(version)}`;
    return refuse(`not a Gradflow model file: 'version' should be a whole number such as ${currentVersion}, ${found}`);
  }
  if (version > currentVersion) {
    return refuse(`this file was saved by a newer Gradflow (format version ${version}); this version reads up to ${currentVersion}`);
  }

  let current: JsonObject = json;
  for (let v = version; v < currentVersion; v++) {
    const step = steps.find((s) => s.from === v);
    if (step === undefined || step.to !== v + 1) {
      // A gap in our own list, not a fault of the file.
      return refuse(`Gradflow cannot read format version ${v}: no migration from version ${v} to ${v + 1}`);
    }
    current = { ...step.up(current), version: step.to };
  }
  return { ok: true, json: current, fromVersion: version };
}

/** A JSON object: not null, not a list. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
