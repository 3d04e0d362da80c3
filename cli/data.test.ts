import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError } from '../engine/data/csv';
import { parseModelObject, type ModelDefinition } from '../engine/model';
import { csvDatasetFor, DataChoiceError } from './data';

const irisModel = JSON.parse(readFileSync('examples/iris.json', 'utf8')) as Record<string, unknown> & { training: Record<string, unknown> };
const irisCsv = readFileSync('public/datasets/iris.csv', 'utf8');

/** The iris example retargeted at the user's CSV, with `data` as the file would carry it. */
function csvModelJson(data?: Record<string, unknown>, training: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...irisModel, training: { ...irisModel.training, dataset: 'csv', ...training }, ...(data ? { data } : {}) };
}

function model(json: Record<string, unknown>): ModelDefinition {
  const parsed = parseModelObject(json);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.model;
}

/** Twelve rows whose first column is the class and whose last column is a measurement. */
const speciesFirst = ['kind,width,length', ...Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'fern' : 'moss'},${i},${i * 0.5 + 0.25}`)].join('\n');

describe('the CSV a model trains on', () => {
  it('is the CSV the file carries, read with its saved label column and task', () => {
    const d = csvDatasetFor(model(csvModelJson({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'binary', text: speciesFirst })), 'm.json', {})!;
    expect(d.info).toMatchObject({ name: 'plants.csv', targetName: 'kind', task: 'binary', inputShape: [2], classNames: ['moss', 'fern'] });
  });

  it('is --data when given, named after its file; the saved choice still applies, and flags override it', () => {
    const saved = model(csvModelJson({ kind: 'csv', name: 'old.csv', labelColumn: 'kind', text: 'not,this\n' }));
    const d = csvDatasetFor(saved, 'm.json', { data: { path: 'some/dir/new-plants.csv', text: speciesFirst } })!;
    expect(d.info).toMatchObject({ name: 'new-plants.csv', targetName: 'kind', task: 'binary' });
    const numeric = speciesFirst.replace(/\nfern,/g, '\n1,').replace(/\nmoss,/g, '\n0,');
    const flagged = csvDatasetFor(saved, 'm.json', { data: { path: 'p.csv', text: numeric }, labelColumn: 'length', task: 'regression' })!;
    expect(flagged.info).toMatchObject({ targetName: 'length', task: 'regression', inputShape: [2] });
  });

  it('without data in the file or --data: a clear error that names --data and the CSV the model was built on', () => {
    const call = () => csvDatasetFor(model(csvModelJson({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind' })), 'm.json', {});
    expect(call).toThrow(DataChoiceError);
    expect(call).toThrow('m.json trains on its CSV (plants.csv), but the file does not include the data. Give the CSV with --data file.csv');
    expect(() => csvDatasetFor(model(csvModelJson()), 'm.json', {})).toThrow(/^m\.json trains on a CSV, but the file does not include the data\. Give the CSV with --data/);
  });

  it('refuses CSV flags for a model on a built-in dataset, and needs none there', () => {
    const iris = model(irisModel);
    expect(csvDatasetFor(iris, 'iris.json', {})).toBeUndefined();
    expect(() => csvDatasetFor(iris, 'iris.json', { data: { path: 'x.csv', text: speciesFirst } })).toThrow(
      "iris.json trains on the built-in dataset 'iris'; --data is for a model on a CSV (dataset 'csv').",
    );
    expect(() => csvDatasetFor(iris, 'iris.json', { labelColumn: 'kind' })).toThrow(/--label is for a model on a CSV/);
  });

  it("passes the parser's refusal through, every problem listed", () => {
    const bad = speciesFirst.replace('\nmoss,0,', '\nmoss,?,').replace('\nfern,3,', '\nfern,three,');
    try {
      csvDatasetFor(model(csvModelJson()), 'm.json', { data: { path: 'bad.csv', text: bad }, labelColumn: 'kind' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).problems.map((p) => [p.row, p.column])).toEqual([
        [1, 'width'],
        [4, 'width'],
      ]);
    }
  });
});

// The real command, end to end (tsx runs the TypeScript as npm run train does).
const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const cli = (args: string[]) => spawnSync(tsx, ['cli/train.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

/** The --json lines without the timings, which differ from run to run. */
function metricLines(stdout: string): unknown[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const { seconds: _s, samplesPerSecond: _r, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
}

describe('npm run train on a CSV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradflow-cli-csv-'));
  const write = (name: string, json: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return path;
  };
  const csvPath = write('my-iris.csv', irisCsv);

  it('--data trains on the CSV exactly as on the same table built in, and keeps the --json format', () => {
    const builtin = cli(['examples/iris.json', '--epochs', '2', '--json']);
    const fromCsv = cli([write('on-csv.json', csvModelJson()), '--data', csvPath, '--epochs', '2', '--json']);
    expect(fromCsv.stderr).toBe('');
    expect(fromCsv.status).toBe(0);
    const lines = metricLines(fromCsv.stdout);
    expect(lines.map((l) => (l as { event: string }).event)).toEqual(['epoch', 'epoch', 'done']);
    expect(lines).toEqual(metricLines(builtin.stdout));
  });

  it('a model file with its CSV data trains without --data, as with --data; the summary names the CSV', () => {
    const embedded = write('embedded.json', csvModelJson({ kind: 'csv', name: 'my-iris.csv', labelColumn: 'label', task: 'multiclass', text: irisCsv }));
    const fromFile = cli([embedded, '--epochs', '2', '--json']);
    expect(fromFile.stderr).toBe('');
    const fromFlag = cli([write('on-csv-2.json', csvModelJson()), '--data', csvPath, '--epochs', '2', '--json']);
    expect(metricLines(fromFile.stdout)).toEqual(metricLines(fromFlag.stdout));
    const text = cli([embedded, '--epochs', '1']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('on my-iris.csv: 120 training and 30 test samples');
  });

  it('a model on a CSV without data: exit 1 with a message naming --data (not "no built-in dataset")', () => {
    const r = cli([write('no-data.json', csvModelJson({ kind: 'csv', name: 'plants.csv' }))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('trains on its CSV (plants.csv), but the file does not include the data. Give the CSV with --data file.csv');
    expect(r.stderr).not.toContain('built-in');
  });

  it('a refused CSV: exit 1 listing every problem with its row and column', () => {
    const bad = write('bad.csv', irisCsv.replace(/\n5\.1,/, '\nx,').replace(/\n4\.9,3,/, '\n4.9,,'));
    const r = cli([write('on-csv-3.json', csvModelJson()), '--data', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv cannot be used:\n {2}column 'sepal length \(cm\)', row 1: 'x' is not a number.*\n {2}column 'sepal width \(cm\)', row 2: the value is missing/);
  });
});
