/**
 * The saved model definition, format `gradflow.model` version 1: layer nodes, the edges between
 * them, training settings, and (apart from the model) the canvas layout.
 *
 * This schema checks the structure and the references between nodes and edges. It does not know
 * layer types: whether `dense` exists and whether `units: 16` suits it is for the layer registry.
 *
 * Unknown fields are stripped (the loader reports each one as a warning), so a model value holds
 * exactly the fields below and saves the same way every time.
 */
import { z } from 'zod';
import { SEQUENCE_LIMITS } from '../data/sequences';
import { CSV_DATASET_ID, formatBytes, TABLE_TASKS, utf8Length } from '../data/csv';
import { base64Length } from '../export/base64';
import { describeValue } from './errors';
import { CURRENT_VERSION, isJsonObject, MODEL_FORMAT } from './migrate';

// Before any schema is built: zod would otherwise probe `new Function` to compile fast parsers,
// and the production CSP (deploy/headers.ts, no eval) reports that probe as a violation.
z.config({ jitless: true });

/**
 * A whole number. Not z.int(): a fractional value makes z.int() abort the whole object, which
 * would skip the reference checks below; multipleOf(1) reports it and lets them run.
 */
const wholeNumber = () => z.number().multipleOf(1).min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'] as const;

/** A layer parameter as stored: the registry decides which are valid for which layer. */
const ParamValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())], {
  error: (issue) =>
    Array.isArray(issue.input)
      ? `must be a list of numbers only, got ${describeValue(issue.input)}`
      : `must be a number, a string, true or false, or a list of numbers, got ${describeValue(issue.input)}`,
});

export const ModelNodeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  label: z.string().optional(),
  /** Absent means "all defaults", the same as `{}`. */
  params: z.record(z.string(), ParamValueSchema).default(() => ({})),
});

export const ModelEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string(),
  target: z.string(),
  /** Which input of the target node the edge feeds (0 for single-input layers). */
  targetSlot: wholeNumber().min(0).default(0),
});

/**
 * Dataset options: the ones the built-in datasets read are checked here (with the bounds the
 * generators enforce), any other must be a number. `seqLength`: time steps per sample (sine
 * forecast, Moby Dick); `distance`: how far back the token to recall lies (recall).
 */
export const DatasetOptionsSchema = z
  .object({
    noise: z.number().min(0).max(1).optional(),
    count: wholeNumber().min(10).max(100_000).optional(),
    seqLength: wholeNumber().min(SEQUENCE_LIMITS.seqLength.min).max(SEQUENCE_LIMITS.seqLength.max).optional(),
    distance: wholeNumber().min(SEQUENCE_LIMITS.distance.min).max(SEQUENCE_LIMITS.distance.max).optional(),
  })
  .catchall(z.number());

/** Marks a training setting the worker takes during a run; every other one changes what a run means. */
const LIVE = { live: true } as const;

export const TrainingSchema = z.object({
  dataset: z.string().min(1).default('spiral'),
  datasetOptions: DatasetOptionsSchema.optional(),
  optimizer: z.enum(OPTIMIZERS).default('adam').meta(LIVE),
  learningRate: z.number().gt(0).lte(10).default(0.03).meta(LIVE),
  batchSize: wholeNumber().min(1).max(4096).default(32).meta(LIVE),
  /** How long `npm run train` trains, and the app too when `stopAtEpochs` is on. */
  epochs: wholeNumber().min(1).max(10_000).default(20).meta(LIVE),
  /** In the app: stop by itself after `epochs`; absent or false: train until paused, as TensorFlow Playground does. */
  stopAtEpochs: z.boolean().optional().meta(LIVE),
  testFraction: z.number().min(0).max(0.9).default(0.2),
  seed: wholeNumber().default(42),
  l2: z.number().min(0).default(0).meta(LIVE),
  clipNorm: z.number().gt(0).optional().meta(LIVE),
  momentum: z.number().min(0).lt(1).optional().meta(LIVE),
  /** RMSprop's decay of its mean square (ρ; Keras and PyTorch default to 0.9). */
  rho: z.number().gt(0).lt(1).optional().meta(LIVE),
});

/** The training settings a run takes live (marked in TrainingSchema): changing any other one needs a new run. */
export const LIVE_TRAINING_SETTINGS = Object.entries(TrainingSchema.shape)
  .filter(([, field]) => (field.meta() as { live?: boolean } | undefined)?.live === true)
  .map(([key]) => key as keyof z.output<typeof TrainingSchema>);

/** Checks a patch of live settings (as the worker receives it): every key must be live, every value valid; nothing is defaulted. */
export const LiveSettingsSchema = z
  .object(
    Object.fromEntries(
      LIVE_TRAINING_SETTINGS.map((key) => {
        const field = TrainingSchema.shape[key];
        return [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()];
      }),
    ),
  )
  .strict();

/**
 * How far from the origin a node may sit on the canvas (in canvas pixels, either axis): a graph of
 * thousands of layers spans a few hundred thousand. A file may hold any number; a coordinate
 * beyond this is brought back to it when loading, because the canvas could not show it and its
 * save would overflow (1e308 × 10 is Infinity, which JSON writes as null).
 */
export const LAYOUT_REACH = 1_000_000;

/** A coordinate within the canvas' reach (-0 as 0, since JSON cannot write it). */
export function withinReach(v: number): number {
  const kept = Math.min(LAYOUT_REACH, Math.max(-LAYOUT_REACH, v));
  return kept === 0 ? 0 : kept;
}

const coordinate = () => z.number().transform(withinReach);

export const LayoutPositionSchema = z.object({ x: coordinate(), y: coordinate() });

/**
 * Canvas positions by node id. Not z.record: it skips a `__proto__` key unchecked and the node
 * loses its position, so the entries are read as a Map and written back with Object.fromEntries,
 * which keeps every id an ordinary own key.
 */
const LayoutSchema = z
  .preprocess((value) => (isPlainObject(value) ? new Map(Object.entries(value)) : value), z.map(z.string(), LayoutPositionSchema))
  .transform((positions) => Object.fromEntries(positions));

/**
 * Data a file may carry with its model. The CSV text is what the app keeps in the browser and
 * writes into exported files, so it has one limit for both: the size of the app's model files
 * before data could be embedded (5 MB); a larger CSV is trained with `npm run train -- --data`.
 */
export const MODEL_DATA_LIMITS = {
  csvBytes: 5 * 1024 * 1024,
  nameLength: 255,
  /**
   * The most weights a file embeds (the safetensors bytes, before base64): the engine's
   * 20M-parameter budget is 80 MB of float32, plus the header.
   */
  weightsBytes: 96 * 1024 * 1024,
} as const;

/**
 * The user's CSV a model on dataset 'csv' trains on: its file name, the label column and task the
 * user chose, and, when they asked for it, the CSV text. Without `text` the file still says which
 * table and which column the model was built for (its output size depends on them).
 */
export const CsvDataSchema = z.object({
  kind: z.literal(CSV_DATASET_ID),
  name: z.string().min(1).max(MODEL_DATA_LIMITS.nameLength),
  labelColumn: z.string().min(1).optional(),
  task: z.enum(TABLE_TASKS).optional(),
  text: z
    .string()
    .check((ctx) => {
      const bytes = utf8Length(ctx.value, MODEL_DATA_LIMITS.csvBytes);
      if (bytes <= MODEL_DATA_LIMITS.csvBytes) return;
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `the CSV is ${formatBytes(bytes)}; a model file carries at most ${formatBytes(MODEL_DATA_LIMITS.csvBytes)} of CSV data (train on a larger one with npm run train -- model.json --data file.csv)`,
      });
    })
    .optional(),
});

/**
 * Trained weights a file may carry (Export, "Model + weights"): a safetensors file
 * (engine/export/safetensors.ts), base64 in `data`. The schema checks the text is base64 of at most
 * `weightsBytes`; whether the bytes are a readable safetensors file for this graph is checked when
 * they are put into a run (engine/export/embedded.ts).
 */
export const EmbeddedWeightsSchema = z.object({
  format: z.literal('safetensors'),
  encoding: z.literal('base64'),
  data: z.string().check((ctx) => {
    const text = ctx.value;
    if (text.length > base64Length(MODEL_DATA_LIMITS.weightsBytes)) {
      ctx.issues.push({ code: 'custom', input: text, message: `the weights are ${formatBytes((text.length / 4) * 3)}; a model file embeds at most ${formatBytes(MODEL_DATA_LIMITS.weightsBytes)} of weights` });
    } else if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
      ctx.issues.push({ code: 'custom', input: text, message: 'must be padded base64 (A–Z, a–z, 0–9, +, /, = at the end), as Gradflow writes it; the weights in this file are damaged' });
    }
  }),
});

const ModelFieldsSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(CURRENT_VERSION),
    name: z.string().optional(),
    description: z.string().optional(),
    nodes: z.array(ModelNodeSchema),
    edges: z.array(ModelEdgeSchema),
    // prefault, not default: the `{}` goes through TrainingSchema and takes every field's default.
    training: TrainingSchema.prefault({}),
    /** Canvas positions by node id; never read by training. */
    layout: LayoutSchema.optional(),
    /** The user's data, kept with the model when asked (absent in most files). */
    data: CsvDataSchema.optional(),
    /** Trained weights, when the user exported them with the model (absent in most files). */
    weights: EmbeddedWeightsSchema.optional(),
  })
  // Runs even when fields above failed, so a file's reference errors show up with its other
  // errors rather than one round of fixes later; hence the defensive reading of `value`.
  .superRefine((value, ctx) => checkReferences(value, ctx), { when: (payload) => isJsonObject(payload.value) });

export const ModelDefinitionSchema = ModelFieldsSchema.transform(dropStrayLayout);

/** The field names at each level of the format, for reporting fields the schema will strip. */
export const KNOWN_FIELDS = {
  model: Object.keys(ModelFieldsSchema.shape),
  node: Object.keys(ModelNodeSchema.shape),
  edge: Object.keys(ModelEdgeSchema.shape),
  training: Object.keys(TrainingSchema.shape),
  layoutPosition: Object.keys(LayoutPositionSchema.shape),
  data: Object.keys(CsvDataSchema.shape),
  weights: Object.keys(EmbeddedWeightsSchema.shape),
} as const;

export type ModelDefinition = z.output<typeof ModelDefinitionSchema>;
/** What a file may hold: the same, with defaulted fields optional. */
export type ModelDefinitionInput = z.input<typeof ModelDefinitionSchema>;
export type ModelNode = z.output<typeof ModelNodeSchema>;
export type ModelEdge = z.output<typeof ModelEdgeSchema>;
export type TrainingSettings = z.output<typeof TrainingSchema>;
export type DatasetOptions = z.output<typeof DatasetOptionsSchema>;
export type LayoutPosition = z.output<typeof LayoutPositionSchema>;
export type ModelData = z.output<typeof CsvDataSchema>;
export type EmbeddedWeights = z.output<typeof EmbeddedWeightsSchema>;
export type Optimizer = (typeof OPTIMIZERS)[number];

function checkReferences(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const nodes: unknown[] = Array.isArray(value.nodes) ? value.nodes : [];
  const edges: unknown[] = Array.isArray(value.edges) ? value.edges : [];
  const nodeIds = new Set<string>();
  nodes.forEach((node, i) => {
    const id = isJsonObject(node) ? node.id : undefined;
    if (typeof id !== 'string' || id === '') return;
    if (nodeIds.has(id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `'${id}' is used by another node too` });
    nodeIds.add(id);
  });
  // Until every node has a readable id, "no node has id ..." would mostly repeat the node errors.
  const nodesReadable = Array.isArray(value.nodes) && nodes.every((node) => isJsonObject(node) && typeof node.id === 'string' && node.id !== '');

  const edgeIds = new Set<string>();
  /** "target\0slot" -> name of the first edge into that input slot. */
  const slotTaken = new Map<string, string>();
  edges.forEach((edge, i) => {
    if (!isJsonObject(edge)) return;
    const { id, source, target } = edge;
    const slot = edge.targetSlot ?? 0;
    const name = typeof id === 'string' ? `'${id}'` : `#${i}`;
    if (typeof id === 'string' && id !== '') {
      if (edgeIds.has(id)) ctx.addIssue({ code: 'custom', path: ['edges', i, 'id'], message: `'${id}' is used by another edge too` });
      edgeIds.add(id);
    }
    if (!nodesReadable) return;
    for (const end of ['source', 'target'] as const) {
      const ref = edge[end];
      if (typeof ref === 'string' && !nodeIds.has(ref)) {
        ctx.addIssue({ code: 'custom', path: ['edges', i, end], message: `no node has id '${ref}'` });
      }
    }
    if (typeof source === 'string' && source === target && nodeIds.has(source)) {
      ctx.addIssue({ code: 'custom', path: ['edges', i], message: `edge ${name} connects node '${source}' to itself` });
    }
    if (typeof target === 'string' && nodeIds.has(target) && typeof slot === 'number') {
      const key = `${target}\0${slot}`;
      const first = slotTaken.get(key);
      if (first === undefined) slotTaken.set(key, name);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['edges', i, 'targetSlot'],
          message: `edges ${first} and ${name} both go into input slot ${slot} of node '${target}'; an input slot takes one edge`,
        });
      }
    }
  });
}

/** Positions of nodes that are gone are stale, not wrong: the canvas may have saved them. */
function dropStrayLayout(model: z.output<typeof ModelFieldsSchema>): z.output<typeof ModelFieldsSchema> {
  if (model.layout === undefined) return model;
  const ids = new Set(model.nodes.map((n) => n.id));
  // fromEntries (not assignment) so that an id such as "__proto__" stays an ordinary key.
  const layout = Object.fromEntries(Object.entries(model.layout).filter(([id]) => ids.has(id)));
  return { ...model, layout };
}

/** An object as JSON.parse makes them (not a Map, a Date or a class instance, which keep their entries elsewhere). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
