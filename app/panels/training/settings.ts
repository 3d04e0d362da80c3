/**
 * The numeric training settings the panel edits, checked against the model schema's own bounds
 * (engine/model/schema.ts), so the panel refuses exactly what a saved file would. A refused value
 * yields a sentence that says why; the caller keeps the old value.
 */
import type { SyntheticEntry, TextEntry } from '../../../engine/data';
import { DatasetOptionsSchema, TrainingSchema, type TrainingSettings } from '../../../engine/model/schema';

export const NUMERIC_SETTINGS = {
  learningRate: { label: 'Learning rate', schema: TrainingSchema.shape.learningRate.unwrap() },
  batchSize: { label: 'Batch size', schema: TrainingSchema.shape.batchSize.unwrap() },
  epochs: { label: 'Epochs', schema: TrainingSchema.shape.epochs.unwrap() },
  l2: { label: 'L2', schema: TrainingSchema.shape.l2.unwrap() },
  momentum: { label: 'Momentum', schema: TrainingSchema.shape.momentum.unwrap(), optional: 'SGD: 0; SGD + momentum: 0.9' },
  rho: { label: 'RMSprop ρ', schema: TrainingSchema.shape.rho.unwrap(), optional: '0.9' },
  clipNorm: { label: 'Clip norm', schema: TrainingSchema.shape.clipNorm.unwrap(), optional: 'off' },
  testFraction: { label: 'Test split', schema: TrainingSchema.shape.testFraction.unwrap() },
  seed: { label: 'Seed', schema: TrainingSchema.shape.seed.unwrap() },
  noise: { label: 'Noise', schema: DatasetOptionsSchema.shape.noise.unwrap() },
  count: { label: 'Samples', schema: DatasetOptionsSchema.shape.count.unwrap() },
  seqLength: { label: 'Sequence length', schema: DatasetOptionsSchema.shape.seqLength.unwrap() },
  distance: { label: 'Distance', schema: DatasetOptionsSchema.shape.distance.unwrap() },
} as const;

export type NumericSetting = keyof typeof NUMERIC_SETTINGS;

/** For a setting that may be left empty: what empty means (its default). */
export function settingDefault(field: NumericSetting): string | undefined {
  const entry = NUMERIC_SETTINGS[field];
  return 'optional' in entry ? entry.optional : undefined;
}

/** Settings that live in `datasetOptions` (the ones a built-in dataset reads, as its catalogue entry's defaults list them). */
export const DATASET_OPTIONS = ['noise', 'count', 'seqLength', 'distance'] as const satisfies readonly NumericSetting[];
type DatasetOption = (typeof DATASET_OPTIONS)[number];

function isDatasetOption(field: NumericSetting): field is DatasetOption {
  return (DATASET_OPTIONS as readonly NumericSetting[]).includes(field);
}

/** The bounds for a hint next to the field ("1–4,096", "≥ 0"); empty when unbounded in practice. */
export function settingRange(field: NumericSetting): string {
  const { minValue, maxValue } = NUMERIC_SETTINGS[field].schema;
  const lowSet = minValue !== null && minValue > -Number.MAX_SAFE_INTEGER;
  const highSet = maxValue !== null && maxValue < Number.MAX_SAFE_INTEGER;
  if (lowSet && highSet) return `${formatNumber(minValue)}–${formatNumber(maxValue)}`;
  if (lowSet) return `≥ ${formatNumber(minValue)}`;
  if (highSet) return `≤ ${formatNumber(maxValue)}`;
  return '';
}

/** Why `value` is refused for `field`, or null when the schema accepts it. */
export function settingProblem(field: NumericSetting, value: number): string | null {
  const { label, schema } = NUMERIC_SETTINGS[field];
  if (Number.isNaN(value)) return `${label} must be a number.`;
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  switch (issue.code) {
    case 'too_small':
      return `${label} must be ${issue.inclusive ? 'at least' : 'greater than'} ${formatNumber(Number(issue.minimum))}, got ${formatNumber(value)}.`;
    case 'too_big':
      return `${label} must be ${issue.inclusive ? 'at most' : 'less than'} ${formatNumber(Number(issue.maximum))}, got ${formatNumber(value)}.`;
    case 'not_multiple_of':
      return `${label} must be a whole number, got ${formatNumber(value)}.`;
    case 'invalid_type':
      return `${label} must be a finite number.`;
    default:
      return `${label}: ${issue.message}.`;
  }
}

/** Text typed into a field, as a number, or why it is not one the field takes. */
export function parseSetting(field: NumericSetting, text: string): { ok: true; value: number | undefined } | { ok: false; problem: string } {
  const trimmed = text.trim();
  const { label } = NUMERIC_SETTINGS[field];
  if (trimmed === '') return settingDefault(field) !== undefined ? { ok: true, value: undefined } : { ok: false, problem: `${label} needs a value.` };
  // Number() reads '0x10' and '1_000' oddly or not at all; accept plain decimals and exponents only.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (Number.isNaN(value)) return { ok: false, problem: `${label} must be a number, got '${trimmed}'.` };
  const problem = settingProblem(field, value);
  return problem ? { ok: false, problem } : { ok: true, value };
}

/**
 * The patch for `graphStore.setTraining` that sets `field` to `value`, or why it is refused.
 * Dataset options (noise, sample count, sequence length, distance) go into `datasetOptions`,
 * keeping the dataset's other options.
 */
export function settingPatch(
  training: TrainingSettings,
  field: NumericSetting,
  value: number | undefined,
): { ok: true; patch: Partial<TrainingSettings> } | { ok: false; problem: string } {
  // Empty: the optimizer's default (the field is left out of the model file).
  if (value === undefined) return settingDefault(field) !== undefined ? { ok: true, patch: { [field]: undefined } } : { ok: false, problem: `${NUMERIC_SETTINGS[field].label} needs a value.` };
  const problem = settingProblem(field, value);
  if (problem) return { ok: false, problem };
  if (isDatasetOption(field)) return { ok: true, patch: { datasetOptions: { ...training.datasetOptions, [field]: value } } };
  return { ok: true, patch: { [field]: value } };
}

/** The value a field shows: the document's, or for dataset options the dataset's default. */
export function settingValue(training: TrainingSettings, field: NumericSetting, entry?: SyntheticEntry | TextEntry): number | undefined {
  if (isDatasetOption(field)) return training.datasetOptions?.[field] ?? datasetDefault(entry, field);
  return training[field];
}

/** The options a dataset reads, in the order the panel shows them (those its entry gives a default). */
export function datasetOptionFields(entry: SyntheticEntry | TextEntry | undefined): DatasetOption[] {
  return DATASET_OPTIONS.filter((field) => datasetDefault(entry, field) !== undefined);
}

function datasetDefault(entry: SyntheticEntry | TextEntry | undefined, field: DatasetOption): number | undefined {
  const defaults: Partial<Record<DatasetOption, number>> | undefined = entry?.defaults;
  return defaults?.[field];
}

/** 4096 → "4,096", 0.9 → "0.9", 1e-7 → "1e-7". */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-3) return Number(v.toPrecision(4)).toExponential();
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)));
}
