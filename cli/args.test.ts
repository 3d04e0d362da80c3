import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './args';

describe('parseArgs', () => {
  it('reads the file and the options', () => {
    expect(parseArgs(['m.json', '--epochs', '3', '--seed', '7', '--json'])).toEqual({ file: 'm.json', epochs: 3, seed: 7, json: true, help: false });
  });
  it('reads the CSV options', () => {
    expect(parseArgs(['m.json', '--data', 'my data.csv', '--label', 'species', '--task', 'multiclass'])).toEqual({
      file: 'm.json',
      data: 'my data.csv',
      labelColumn: 'species',
      task: 'multiclass',
      json: false,
      help: false,
    });
    expect(parseArgs(['m.json', '--data'])).toEqual({ error: '--data needs the path of a CSV file' });
    expect(parseArgs(['m.json', '--label', '--json'])).toEqual({ error: '--label needs a column name' });
    expect(parseArgs(['m.json', '--task', 'ranking'])).toEqual({ error: "--task needs one of multiclass, binary, regression, got 'ranking'" });
  });
  it("checks --seed and --epochs by the model format's rules, in its words", () => {
    expect(parseArgs(['m.json', '--seed', '1e300'])).toEqual({ error: '--seed must be at most 9007199254740991, got 1e+300' });
    expect(parseArgs(['m.json', '--seed', '2.5'])).toEqual({ error: '--seed must be a whole number, got 2.5' });
    expect(parseArgs(['m.json', '--epochs', '0'])).toEqual({ error: '--epochs must be at least 1, got 0' });
    expect(parseArgs(['m.json', '--epochs', '20000'])).toEqual({ error: '--epochs must be at most 10000, got 20000' });
    expect(parseArgs(['m.json', '--seed', '-7', '--epochs', '1e3'])).toMatchObject({ seed: -7, epochs: 1000 });
  });
  it('refuses bad options with a reason', () => {
    expect(parseArgs(['m.json', '--epochs', 'x'])).toEqual({ error: "--epochs must be a number, got 'x'" });
    expect(parseArgs(['m.json', '--epochs'])).toEqual({ error: '--epochs needs a whole number' });
    expect(parseArgs(['--fast', 'm.json'])).toEqual({ error: "Unknown option '--fast'" });
    expect(parseArgs([])).toEqual({ error: 'Which model? Give the path of a model file.' });
  });
});

// The real command, end to end (tsx runs the TypeScript as npm run train does).
const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const cli = (args: string[]) => spawnSync(tsx, ['cli/train.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run train', () => {
  it('trains a model file and prints one JSON line per epoch with --json', () => {
    const out = execFileSync(tsx, ['cli/train.ts', 'examples/iris.json', '--epochs', '3', '--json'], { encoding: 'utf8', timeout: 60_000 });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; epoch?: number; test?: { accuracy: number } });
    expect(lines.map((l) => l.event)).toEqual(['epoch', 'epoch', 'epoch', 'done']);
    expect(lines[2]!.test!.accuracy).toBeGreaterThan(0.5);
  });

  it('exits non-zero with a readable message on an invalid file or graph', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "gradflow.model", "version": 1, "nodes": [');
    const r1 = cli([bad]);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain('is not a valid Gradflow model');
    expect(r1.stderr).toMatch(/line \d+, column \d+/);
    const wrongUnits = join(dir, 'units.json');
    writeFileSync(wrongUnits, JSON.stringify({ format: 'gradflow.model', version: 1, nodes: [{ id: 'a', type: 'input' }, { id: 'b', type: 'dense', params: { units: 5 } }, { id: 'c', type: 'output' }], edges: [{ id: 'e1', source: 'a', target: 'b' }, { id: 'e2', source: 'b', target: 'c' }], training: { dataset: 'iris' } }));
    const r2 = cli([wrongUnits]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('The output gets 5 values per sample, but Iris has 3 classes. Make the last Dense 3 units.');
    const r3 = cli([join(dir, 'missing.json')]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain('no such file');
  });

  it("passes the model file's dataset options to the dataset, and names a refused one once", () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-cli-'));
    const forecast = (datasetOptions: Record<string, number>) => {
      const file = join(dir, `forecast-${Object.values(datasetOptions).join('-')}.json`);
      const nodes = [{ id: 'a', type: 'input' }, { id: 'f', type: 'flatten' }, { id: 'b', type: 'dense', params: { units: 1 } }, { id: 'c', type: 'output' }];
      const edges = [{ id: 'e1', source: 'a', target: 'f' }, { id: 'e2', source: 'f', target: 'b' }, { id: 'e3', source: 'b', target: 'c' }];
      writeFileSync(file, JSON.stringify({ format: 'gradflow.model', version: 1, nodes, edges, training: { dataset: 'sine_forecast', datasetOptions, epochs: 1 } }));
      return cli([file]);
    };
    const ok = forecast({ seqLength: 8, count: 100 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('80 training and 20 test samples');
    expect(ok.stdout).toMatch(/input_1 \(Input\) +\(None, 8, 1\)/);
    const refused = forecast({ seqLength: 1000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not a valid Gradflow model:\n  training.datasetOptions.seqLength: must be at most 256, got 1000\n');
  });
});
