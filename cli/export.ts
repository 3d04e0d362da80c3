/**
 * npm run export -- model.json --to pytorch|onnx|safetensors [--weights w.safetensors] [--out DIR]
 *
 * Writes a saved model for other tools with exactly the exporters the app uses (engine/export/):
 * a PyTorch project, an ONNX file, or its weights as safetensors. The weights are --weights, else
 * those the model file embeds, else its seed's initial ones. Exits 1 with a readable message (with
 * --json, one JSON line) on a bad file, graph or weights.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOnnx } from '../engine/export/onnx';
import { pytorchFiles } from '../engine/export/pytorch';
import { encodeSafetensors } from '../engine/export/safetensors';
import { planWeights } from '../engine/export/weights';
import { EXPORT_USAGE, parseExportArgs, type ExportArgs } from './export-args';
import { Failure, runCommand } from './report';
import { prepareRun } from './setup';

const datasetsDir = fileURLToPath(new URL('../public/datasets/', import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');

await runCommand(main, json);

async function main(): Promise<void> {
  const args = parseExportArgs(argv);
  if ('help' in args) {
    console.log(EXPORT_USAGE);
    return;
  }
  if ('error' in args) throw new Failure(args.error, [], 1, EXPORT_USAGE);
  const { model, run, weights } = await prepareRun(args, { datasetsDir, json: args.json, quiet: true });
  const name = baseName(args.file);
  const files = filesFor(args, run, model, name);
  const dir = resolve(args.out ?? (args.to === 'pytorch' ? `${name}-pytorch` : '.'));
  try {
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of files) writeFileSync(join(dir, file), content);
  } catch (e) {
    throw new Failure(`Cannot write to ${dir}: ${(e as Error).message}`);
  }
  const from = { file: `the weights in ${args.weights}`, embedded: `the weights embedded in ${args.file}`, seed: `the initial weights of seed ${model.training.seed}` }[weights];
  const written = files.map(([file]) => join(dir, file));
  if (args.json) console.log(JSON.stringify({ event: 'exported', to: args.to, weights, files: written }));
  else console.log(`${args.file} exported to ${args.to === 'pytorch' ? 'PyTorch' : args.to === 'onnx' ? 'ONNX' : 'safetensors'} with ${from}:\n${written.map((f) => `  ${f}`).join('\n')}`);
}

function filesFor(args: ExportArgs, run: Awaited<ReturnType<typeof prepareRun>>['run'], model: Awaited<ReturnType<typeof prepareRun>>['model'], name: string): [string, string | Uint8Array][] {
  const title = model.name ?? name;
  switch (args.to) {
    case 'pytorch':
      return pytorchFiles(run, model);
    case 'onnx':
      return [[`${name}.onnx`, writeOnnx(run.plan, title)]];
    case 'safetensors':
      return [[`${name}.safetensors`, encodeSafetensors(planWeights(run.plan), { producer: 'gradflow', model: title, steps: String(run.trainer.step) })]];
  }
}

/** "models/spiral.gradflow.json" → "spiral". */
function baseName(file: string): string {
  return basename(file).replace(/(\.gradflow)?\.json$/i, '') || 'model';
}
