/** Command-line arguments and output formatting for `npm run train` (kept apart so they can be tested). */
import type { CompiledGraph } from '../engine/compiler/types';
import { TABLE_TASKS, type TableTask } from '../engine/data/csv';
import { readableIssues, TrainingSchema } from '../engine/model';
import type { RunArgs } from './setup';

export const USAGE = `Usage: npm run train -- <model.json> [--data file.csv] [--label COLUMN] [--task TASK] [--epochs N] [--seed N]
                       [--weights w.safetensors] [--save-weights w.safetensors] [--json]

Trains a saved Gradflow model headlessly and prints train/test loss and metrics per epoch.
  --data F       train on the CSV file F (a model whose dataset is 'csv'); a model file
                 exported with its CSV data trains on that without --data
  --label C      the CSV column to predict (default: the model file's choice, else the last column)
  --task T       ${TABLE_TASKS.join(', ')} (default: the model file's choice, else inferred)
  --epochs N     train for N epochs instead of the file's setting
  --seed N       use seed N for weights, shuffling and the train/test split
  --weights W    start from the weights in the safetensors file W (names and shapes must match
                 the graph: every mismatch is listed)
  --save-weights W
                 write the trained weights to W as safetensors (<node>.<name>, float32)
  --json         print one JSON object per line (per epoch, then a summary; a failure is
                 {"event":"error","message":…,"errors":[…]})`;

/** The run's options (model file, CSV, epochs, seed, weights to start from), then train's own. */
export interface TrainArgs extends RunArgs {
  /** Where to write the trained weights (safetensors). */
  saveWeights?: string;
  json: boolean;
  help: boolean;
}

export type CliArgs = TrainArgs | { error: string };

export function parseArgs(argv: readonly string[]): CliArgs {
  let file: string | undefined;
  const options: Omit<TrainArgs, 'file' | 'json' | 'help'> = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--epochs' || a === '--seed') {
      const raw = argv[++i];
      if (raw === undefined || raw === '' || raw.startsWith('--')) return { error: `${a} needs a whole number` };
      const checked = checkOverride(a === '--epochs' ? 'epochs' : 'seed', raw);
      if ('error' in checked) return { error: `${a} ${checked.error}` };
      options[a === '--epochs' ? 'epochs' : 'seed'] = checked.value;
    } else if (a === '--data' || a === '--label') {
      const v = argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) return { error: `${a} needs ${a === '--data' ? 'the path of a CSV file' : 'a column name'}` };
      if (a === '--data') options.data = v;
      else options.labelColumn = v;
    } else if (a === '--weights' || a === '--save-weights') {
      const v = argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) return { error: `${a} needs the path of a .safetensors file` };
      if (a === '--weights') options.weights = v;
      else options.saveWeights = v;
    } else if (a === '--task') {
      const task = readTask(argv[++i]);
      if ('error' in task) return task;
      options.task = task.task;
    } else if (a.startsWith('-')) return { error: `Unknown option '${a}'` };
    else if (file) return { error: `One model file at a time (got '${file}' and '${a}')` };
    else file = a;
  }
  if (help) return { file: file ?? '', json, help };
  if (!file) return { error: 'Which model? Give the path of a model file.' };
  return { file, json, help, ...options };
}

/** The value of --task (a CSV model's task), or why it is not one. */
export function readTask(v: string | undefined): { task: TableTask } | { error: string } {
  return TABLE_TASKS.includes(v as TableTask) ? { task: v as TableTask } : { error: `--task needs one of ${TABLE_TASKS.join(', ')}, got '${v ?? ''}'` };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A flag's value for a training setting, checked by the model format's own rule for it, so the
 * command trains only what a model file could say ("must be at most 9007199254740991, got 1e+300").
 */
function checkOverride(key: 'epochs' | 'seed', raw: string): { value: number } | { error: string } {
  const value = NUMBER.test(raw) ? Number(raw) : raw;
  const checked = TrainingSchema.shape[key].safeParse(value);
  return checked.success ? { value: checked.data } : { error: readableIssues(checked.error.issues, value)[0]!.message };
}

/** A Keras-like summary table. */
export function formatSummary(summary: CompiledGraph['summary']): string {
  const rows = summary.rows.map((r) => [`${r.name} (${r.label})`, r.shape ? `(None, ${r.shape.join(', ')})` : '?', r.params.toLocaleString('en-US')]);
  const header = ['Layer (type)', 'Output shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 3, -3));
  return [line(header), rule, ...rows.map(line), rule, `Total params: ${summary.totalParams.toLocaleString('en-US')}`, ''].join('\n');
}
