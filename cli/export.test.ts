import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { embedWeights } from '../engine/export/embedded';
import { decodeSafetensors, encodeSafetensors } from '../engine/export/safetensors';
import { parseExportArgs } from './export-args';

// The real command (tsx runs the TypeScript as npm run export does).
const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const cli = (args: string[]) => spawnSync(tsx, ['cli/export.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'gradflow-export-'));
const iris = JSON.parse(readFileSync('examples/iris.json', 'utf8')) as Record<string, unknown>;

describe('npm run export: arguments', () => {
  it('needs a model and a target it knows, and says so', () => {
    expect(parseExportArgs([])).toEqual({ error: 'Which model? Give the path of a model file.' });
    expect(parseExportArgs(['m.json'])).toEqual({ error: 'Export to what? Give --to pytorch|onnx|safetensors.' });
    expect(parseExportArgs(['m.json', '--to', 'keras'])).toEqual({ error: "--to needs one of pytorch, onnx, safetensors, got 'keras'" });
    expect(parseExportArgs(['m.json', '--to', 'onnx', '--out'])).toEqual({ error: '--out needs a path' });
    expect(parseExportArgs(['m.json', '--to', 'onnx', '--out', 'o', '--weights', 'w.safetensors'])).toEqual({ file: 'm.json', to: 'onnx', out: 'o', weights: 'w.safetensors', json: false });
  });
});

describe('npm run export', () => {
  it('to safetensors and ONNX: the weights the model file embeds, and a file ONNX Runtime runs', async () => {
    const weights = encodeSafetensors([
      { name: 'dense_1.kernel', shape: [4, 16], data: new Float32Array(64).fill(0.25) },
      { name: 'dense_1.bias', shape: [16], data: new Float32Array(16) },
      { name: 'dense_2.kernel', shape: [16, 3], data: Float32Array.from({ length: 48 }, (_, i) => (i % 3) - 1) },
      { name: 'dense_2.bias', shape: [3], data: Float32Array.from([0.5, 0, -0.5]) },
    ]);
    const model = join(dir, 'iris-trained.gradflow.json');
    writeFileSync(model, JSON.stringify({ ...iris, weights: embedWeights(weights) }));

    const st = cli([model, '--to', 'safetensors', '--out', dir, '--json']);
    expect(st.status, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout.trim())).toEqual({ event: 'exported', to: 'safetensors', weights: 'embedded', files: [join(dir, 'iris-trained.safetensors')] });
    const back = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'iris-trained.safetensors'))));
    expect(back.tensors.map((t) => t.name)).toEqual(['dense_1.kernel', 'dense_1.bias', 'dense_2.kernel', 'dense_2.bias']);
    expect(Array.from(back.tensors[3]!.data)).toEqual([0.5, 0, -0.5]);

    const onnx = cli([model, '--to', 'onnx', '--out', dir]);
    expect(onnx.status, onnx.stderr).toBe(0);
    expect(onnx.stdout).toContain(`exported to ONNX with the weights embedded in ${model}`);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'iris-trained.onnx')));
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(8), [2, 4]) });
    // Zero features: the prediction is dense_2 of relu(bias 0) = its bias, per sample.
    expect(Array.from(out.prediction!.data as Float32Array)).toEqual([0.5, 0, -0.5, 0.5, 0, -0.5]);
  }, 120_000);

  it('to PyTorch: the project directory, from the seed’s weights', () => {
    const out = join(dir, 'iris-pytorch');
    const r = cli(['examples/iris.json', '--to', 'pytorch', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('with the initial weights of seed 42');
    for (const f of ['model.py', 'train.py', 'weights.safetensors', 'data.safetensors', 'README.md']) expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);

  it('weights for another graph are refused with every mismatch, and nothing is written', () => {
    const other = join(dir, 'other.safetensors');
    writeFileSync(other, encodeSafetensors([{ name: 'dense_1.kernel', shape: [4, 8], data: new Float32Array(32) }]));
    const out = join(dir, 'refused');
    const r = cli(['examples/iris.json', '--to', 'onnx', '--weights', other, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${other} does not fit examples/iris.json:\n  dense_1.kernel is [4, 8] in the file, but [4, 16] in this graph`);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
