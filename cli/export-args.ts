/** Command-line arguments of `npm run export` (kept apart so they can be tested). */
import type { TableTask } from '../engine/data/csv';
import { readTask } from './args';

export const EXPORT_TARGETS = ['pytorch', 'onnx', 'safetensors'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export const EXPORT_USAGE = `Usage: npm run export -- <model.json> --to pytorch|onnx|safetensors [--weights w.safetensors] [--out DIR]
                        [--data file.csv] [--label COLUMN] [--task TASK] [--json]

Writes a Gradflow model for other tools, with its weights: those of --weights, else the ones the
model file embeds, else the initial weights of its seed.
  --to pytorch      DIR/model.py, train.py (trains as Gradflow does; runs under torchrun),
                    weights.safetensors, data.safetensors and README.md
  --to onnx         DIR/<name>.onnx, for inference (opset 17; ONNX Runtime, Netron)
  --to safetensors  DIR/<name>.safetensors
  --out DIR         where to write (default: <name>-pytorch for PyTorch, else the current directory)
  --weights W       the weights to export (a .safetensors file for this graph)
  --data F, --label C, --task T
                    the CSV of a model on dataset 'csv' (as for npm run train)
  --json            print what was written as one JSON line`;

export interface ExportArgs {
  file: string;
  to: ExportTarget;
  out?: string;
  weights?: string;
  data?: string;
  labelColumn?: string;
  task?: TableTask;
  json: boolean;
}

export function parseExportArgs(argv: readonly string[]): ExportArgs | { help: true } | { error: string } {
  let file: string | undefined;
  let to: ExportTarget | undefined;
  const options: Omit<ExportArgs, 'file' | 'to' | 'json'> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') return { help: true };
    else if (a === '--to') {
      const v = argv[++i];
      if (!EXPORT_TARGETS.includes(v as ExportTarget)) return { error: `--to needs one of ${EXPORT_TARGETS.join(', ')}, got '${v ?? ''}'` };
      to = v as ExportTarget;
    } else if (a === '--out' || a === '--weights' || a === '--data' || a === '--label') {
      const v = argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) return { error: `${a} needs ${a === '--label' ? 'a column name' : 'a path'}` };
      if (a === '--out') options.out = v;
      else if (a === '--weights') options.weights = v;
      else if (a === '--data') options.data = v;
      else options.labelColumn = v;
    } else if (a === '--task') {
      const task = readTask(argv[++i]);
      if ('error' in task) return task;
      options.task = task.task;
    } else if (a.startsWith('-')) return { error: `Unknown option '${a}'` };
    else if (file) return { error: `One model file at a time (got '${file}' and '${a}')` };
    else file = a;
  }
  if (!file) return { error: 'Which model? Give the path of a model file.' };
  if (!to) return { error: `Export to what? Give --to ${EXPORT_TARGETS.join('|')}.` };
  return { file, to, json, ...options };
}
