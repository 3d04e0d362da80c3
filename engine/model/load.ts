/**
 * Reading and writing `gradflow.model` files. Every load goes text -> JSON -> migrations ->
 * schema; any failure comes back as a list of readable problems, never as an exception, so the
 * app can refuse the file and leave the current graph as it was.
 */
import { modelIssue, readableIssues, type ModelIssue, type PathSegment } from './errors';
import { parseJsonText } from './json-text';
import { CURRENT_VERSION, isJsonObject, migrate, type JsonObject } from './migrate';
import { KNOWN_FIELDS, LAYOUT_REACH, ModelDefinitionSchema, type ModelDefinition, type TrainingSettings } from './schema';

export type LoadResult =
  | { ok: true; model: ModelDefinition; warnings: ModelIssue[] }
  | { ok: false; errors: ModelIssue[] };

/** Loads a model from the text of a file. */
export function parseModel(text: string): LoadResult {
  const parsed = parseJsonText(text);
  return parsed.ok ? parseModelObject(parsed.value) : { ok: false, errors: [parsed.error] };
}

/**
 * Loads a model from already-parsed JSON. Error paths name fields of the current format (a
 * version 0 file's `lr` is reported as `training.learningRate`). The input is not modified.
 */
export function parseModelObject(json: unknown): LoadResult {
  const migrated = migrate(json);
  if (!migrated.ok) return { ok: false, errors: [migrated.error] };
  const result = ModelDefinitionSchema.safeParse(migrated.json);
  if (!result.success) return { ok: false, errors: readableIssues(result.error.issues, migrated.json) };

  const warnings: ModelIssue[] = [];
  if (migrated.fromVersion < CURRENT_VERSION) {
    warnings.push(modelIssue([], `this file uses format version ${migrated.fromVersion}; it was upgraded to version ${CURRENT_VERSION} and will be saved as such`));
  }
  warnings.push(...unknownFieldWarnings(migrated.json), ...farLayoutWarnings(result.data, migrated.json));
  return { ok: true, model: result.data, warnings };
}

/**
 * The model as pretty JSON whose keys always come in the same order (format, version, name,
 * description, nodes, edges, training, layout, data, weights; params sorted by name; layout in node order), so
 * that two saves of the same model are identical and saved files diff well.
 */
export function serializeModel(model: ModelDefinition): string {
  const ordered = {
    format: model.format,
    version: model.version,
    name: model.name,
    description: model.description,
    nodes: model.nodes.map((n) => ({ id: n.id, type: n.type, label: n.label, params: sortedByKey(n.params) })),
    edges: model.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, targetSlot: e.targetSlot })),
    training: orderedTraining(model.training),
    layout: model.layout && orderedLayout(model.layout, model.nodes),
    // Last: a CSV's text may be long, and the model should read first.
    data: model.data && { kind: model.data.kind, name: model.data.name, labelColumn: model.data.labelColumn, task: model.data.task, text: model.data.text },
    // After the data: megabytes of base64 nobody reads.
    weights: model.weights && { format: model.weights.format, encoding: model.weights.encoding, data: model.weights.data },
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderedTraining(t: TrainingSettings): TrainingSettings {
  // Listing every key makes a new field a type error here until it is given its place.
  const ordered: { [K in keyof Required<TrainingSettings>]: TrainingSettings[K] } = {
    dataset: t.dataset,
    datasetOptions: t.datasetOptions && sortedByKey(t.datasetOptions, ['noise', 'count', 'seqLength', 'distance']),
    optimizer: t.optimizer,
    learningRate: t.learningRate,
    batchSize: t.batchSize,
    epochs: t.epochs,
    stopAtEpochs: t.stopAtEpochs,
    testFraction: t.testFraction,
    seed: t.seed,
    l2: t.l2,
    clipNorm: t.clipNorm,
    momentum: t.momentum,
    rho: t.rho,
  };
  return ordered;
}

function orderedLayout(layout: NonNullable<ModelDefinition['layout']>, nodes: ModelDefinition['nodes']): ModelDefinition['layout'] {
  return Object.fromEntries(
    nodes.flatMap((n) => {
      const at = Object.hasOwn(layout, n.id) ? layout[n.id] : undefined;
      return at ? [[n.id, { x: at.x, y: at.y }]] : [];
    }),
  );
}

/** The record with its keys in order: `first` as listed, then the rest by name. */
function sortedByKey<T>(record: Record<string, T>, first: readonly string[] = []): Record<string, T> {
  const rank = (key: string): number => (first.includes(key) ? first.indexOf(key) : first.length);
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => rank(a) - rank(b) || byName(a, b)));
}

/** Fields the schema strips, one warning each: "training.learningrate: unknown field, ignored (did you mean 'learningRate'?)". */
function unknownFieldWarnings(json: JsonObject): ModelIssue[] {
  const warnings: ModelIssue[] = [];
  const check = (value: unknown, known: readonly string[], path: PathSegment[]): void => {
    if (!isJsonObject(value)) return;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const guess = known.find((k) => k.toLowerCase() === key.toLowerCase());
      warnings.push(modelIssue([...path, key], `unknown field, ignored${guess ? ` (did you mean '${guess}'?)` : ''}`));
    }
  };
  check(json, KNOWN_FIELDS.model, []);
  eachItem(json.nodes, (node, i) => check(node, KNOWN_FIELDS.node, ['nodes', i]));
  eachItem(json.edges, (edge, i) => check(edge, KNOWN_FIELDS.edge, ['edges', i]));
  check(json.training, KNOWN_FIELDS.training, ['training']);
  check(json.data, KNOWN_FIELDS.data, ['data']);
  check(json.weights, KNOWN_FIELDS.weights, ['weights']);
  if (isJsonObject(json.layout)) {
    const ids = new Set(eachItem(json.nodes, (node) => (isJsonObject(node) ? node.id : undefined)));
    for (const [id, at] of Object.entries(json.layout)) if (ids.has(id)) check(at, KNOWN_FIELDS.layoutPosition, ['layout', id]);
  }
  return warnings;
}

/** One warning per coordinate the schema brought within the canvas: "layout.n1.x: 1e+308 is off the canvas; the node was placed at 1000000". */
function farLayoutWarnings(model: ModelDefinition, json: JsonObject): ModelIssue[] {
  const given = json.layout;
  if (!model.layout || !isJsonObject(given)) return [];
  const warnings: ModelIssue[] = [];
  for (const [id, at] of Object.entries(model.layout)) {
    const raw = Object.hasOwn(given, id) ? given[id] : undefined;
    if (!isJsonObject(raw)) continue;
    for (const axis of ['x', 'y'] as const) {
      const value = raw[axis];
      if (typeof value === 'number' && value !== at[axis] && Math.abs(value) > LAYOUT_REACH) {
        warnings.push(modelIssue(['layout', id, axis], `${value} is off the canvas (which reaches ±${LAYOUT_REACH.toLocaleString('en-US')}); the node was placed at ${at[axis]}`));
      }
    }
  }
  return warnings;
}

function eachItem<T>(list: unknown, f: (item: unknown, index: number) => T): T[] {
  return Array.isArray(list) ? list.map((item: unknown, i) => f(item, i)) : [];
}
