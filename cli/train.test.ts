import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedWeights } from '../engine/export/embedded';
import { decodeSafetensors } from '../engine/export/safetensors';
import { MODEL_FILE_LIMITS, modelFileSizeProblem } from '../engine/model';

// The real command (tsx runs the TypeScript as npm run train does).
const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const cli = (args: string[]) => spawnSync(tsx, ['cli/train.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'gradflow-cli-'));
const iris = JSON.parse(readFileSync('examples/iris.json', 'utf8')) as { nodes: { id: string }[]; edges: { id: string; source: string; target: string; targetSlot?: number }[] } & Record<string, unknown>;

function modelFile(name: string, model: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(model));
  return file;
}

/** Iris with one more connection, from the Input into the second input of the last Dense (which has one). */
const extraEdge = () => modelFile('extra-edge.json', { ...iris, edges: [...iris.edges, { id: 'extra', source: 'n0', target: 'n3', targetSlot: 1 }] });

/** Conv2D 32 (1×1) → Flatten → Dense 4096 → Dense 10 on MNIST: 102.8M parameters. */
const wideHead = () =>
  modelFile('wide-head.json', {
    format: 'gradflow.model',
    version: 1,
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'conv', type: 'conv2d', params: { filters: 32, kernelSize: [1, 1], padding: 'same' } },
      { id: 'flat', type: 'flatten' },
      { id: 'wide', type: 'dense', params: { units: 4096 } },
      { id: 'head', type: 'dense', params: { units: 10 } },
      { id: 'out', type: 'output' },
    ],
    edges: [
      { id: 'a', source: 'in', target: 'conv' },
      { id: 'b', source: 'conv', target: 'flat' },
      { id: 'c', source: 'flat', target: 'wide' },
      { id: 'd', source: 'wide', target: 'head' },
      { id: 'e', source: 'head', target: 'out' },
    ],
    training: { dataset: 'mnist' },
  });

describe('npm run train refuses with what is wrong and where', () => {
  it('a problem on a connection only: names its two ends', () => {
    const r = cli([extraEdge()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${join(dir, 'extra-edge.json')}: the network has problems:\n  input_1 → dense_2: Dense has one input; this connection goes into input 2.\n`);
  });

  it('a model over the size budget, as the app does, before building it', () => {
    const r = cli([wideHead()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('  dense_1: The model has 102.8M parameters; Gradflow trains at most 20M in the browser. dense_1 (Dense) holds 102.8M of them.');
  });

  it('a file larger than the app opens, with the same words', () => {
    const file = modelFile('huge.json', { ...iris, description: 'x'.repeat(MODEL_FILE_LIMITS.fileBytes) });
    const r = cli([file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${file}: ${modelFileSizeProblem(statSync(file).size)}\n`);
    expect(r.stderr).toContain('more than the 143 MB a model file may have');
  });

  it('a seed or an epoch count the model format does not allow, with its words', () => {
    const seed = cli(['examples/iris.json', '--seed', '1e300']);
    expect(seed.status).toBe(1);
    expect(seed.stderr).toMatch(/^--seed must be at most 9007199254740991, got 1e\+300\n\nUsage: /);
    const epochs = cli(['examples/iris.json', '--epochs', '20000']);
    expect(epochs.stderr).toMatch(/^--epochs must be at most 10000, got 20000\n/);
  });
});

describe('npm run train --json: a failure is one JSON line too', () => {
  const failure = (args: string[]) => {
    const r = cli([...args, '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0]!) as { event: string; message: string; errors: Record<string, string>[] };
  };

  it('for a graph error, each problem with where it is', () => {
    expect(failure([extraEdge()])).toEqual({
      event: 'error',
      message: `${join(dir, 'extra-edge.json')}: the network has problems`,
      errors: [{ message: 'Dense has one input; this connection goes into input 2.', where: 'input_1 → dense_2', edgeId: 'extra' }],
    });
  });

  it('for an invalid file, a bad option, a missing file and a model over the budget', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": "gradflow.model", "version": 1, "nodes": [');
    expect(failure([broken])).toMatchObject({ event: 'error', message: `${broken} is not a valid Gradflow model`, errors: [{ message: expect.stringMatching(/line \d+, column \d+/) }] });
    expect(failure(['examples/iris.json', '--seed', '1e300'])).toEqual({
      event: 'error',
      message: '--seed must be at most 9007199254740991, got 1e+300',
      errors: [{ message: '--seed must be at most 9007199254740991, got 1e+300' }],
    });
    expect(failure([join(dir, 'missing.json')]).message).toBe(`Cannot read ${join(dir, 'missing.json')}: no such file`);
    expect(failure([wideHead()]).errors[0]).toMatchObject({ where: 'dense_1', nodeId: 'wide', message: expect.stringContaining('102.8M parameters') });
  });
});

describe('npm run train --save-weights and --weights', () => {
  const events = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string } & Record<string, unknown>);

  it('saves the trained weights as safetensors, and a later run starts from them; a file for another graph is refused with every mismatch', () => {
    const saved = join(dir, 'iris.safetensors');
    const r = cli(['examples/iris.json', '--epochs', '2', '--save-weights', saved, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = events(r.stdout);
    expect(out.at(-1)).toEqual({ event: 'weights-saved', path: saved, tensors: 4, bytes: statSync(saved).size });
    const file = decodeSafetensors(new Uint8Array(readFileSync(saved)));
    expect(file.tensors.map((t) => `${t.name} [${t.shape.join(', ')}]`)).toEqual([
      'dense_1.kernel [4, 16]', 'dense_1.bias [16]', 'dense_2.kernel [16, 3]', 'dense_2.bias [3]',
    ]);
    expect(file.metadata).toMatchObject({ producer: 'gradflow', steps: String(out.find((e) => e.event === 'done')!.steps) });

    const again = cli(['examples/iris.json', '--epochs', '1', '--weights', saved, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(events(again.stdout)[0]).toEqual({ event: 'weights-loaded', path: saved, tensors: 4 });

    const wider = modelFile('iris-wider.json', { ...iris, nodes: iris.nodes.map((n) => (n.id === 'n1' ? { ...n, params: { units: 8 } } : n)) });
    const misfit = cli([wider, '--weights', saved]);
    expect(misfit.status).toBe(1);
    expect(misfit.stderr).toBe(
      `${saved} does not fit ${wider}:\n  dense_1.kernel is [4, 16] in the file, but [4, 8] in this graph\n  dense_1.bias is [16] in the file, but [8] in this graph\n  dense_2.kernel is [16, 3] in the file, but [8, 3] in this graph\n`,
    );

    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(saved).subarray(0, 100));
    const cut = cli(['examples/iris.json', '--weights', truncated]);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(new RegExp(`^${truncated.replace(/[.]/g, '\\.')} is not a readable safetensors file: `));
  }, 120_000);

  it('starts from the weights a model file embeds (--weights wins over them); damaged ones are refused', () => {
    const saved = join(dir, 'iris-embed.safetensors');
    expect(cli(['examples/iris.json', '--epochs', '2', '--save-weights', saved]).status).toBe(0);
    const bytes = new Uint8Array(readFileSync(saved));
    const withWeights = modelFile('iris-with-weights.json', { ...iris, weights: embedWeights(bytes) });

    const fromFile = cli(['examples/iris.json', '--epochs', '1', '--weights', saved, '--json']);
    const fromEmbedded = cli([withWeights, '--epochs', '1', '--json']);
    const fresh = cli(['examples/iris.json', '--epochs', '1', '--json']);
    expect(fromEmbedded.status, fromEmbedded.stderr).toBe(0);
    expect(events(fromEmbedded.stdout)[0]).toEqual({ event: 'weights-loaded', path: withWeights, embedded: true, tensors: 4 });
    // The same run as from the safetensors file, epoch for epoch, and not the seed's fresh one.
    const epochs = (stdout: string) => events(stdout).filter((e) => e.event === 'epoch').map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
    expect(epochs(fromEmbedded.stdout)).toEqual(epochs(fromFile.stdout));
    expect(epochs(fromEmbedded.stdout)).not.toEqual(epochs(fresh.stdout));
    expect(cli([withWeights, '--epochs', '1']).stdout).toContain(`Starting from the weights embedded in ${withWeights} (4 tensors).`);

    const other = join(dir, 'other.safetensors');
    writeFileSync(other, bytes);
    expect(events(cli([withWeights, '--epochs', '1', '--weights', other, '--json']).stdout)[0]).toEqual({ event: 'weights-loaded', path: other, tensors: 4 });

    const cut = modelFile('iris-cut-weights.json', { ...iris, weights: embedWeights(bytes.subarray(0, 60)) });
    const refused = cli([cut]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^${cut.replace(/[.]/g, '\\.')}: weights: not a readable safetensors file: `));
    const notBase64 = cli([modelFile('iris-bad-base64.json', { ...iris, weights: { format: 'safetensors', encoding: 'base64', data: 'ab$d' } })]);
    expect(notBase64.status).toBe(1);
    expect(notBase64.stderr).toContain('weights.data: must be padded base64');
  }, 120_000);
});
