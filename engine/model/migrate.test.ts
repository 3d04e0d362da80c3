import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, MIGRATIONS, migrate, migrateWith, type JsonObject, type Migration } from './migrate';

/** A version 0 file as the pre-release draft wrote it. */
const v0File = {
  format: 'gradflow.model',
  version: 0,
  name: 'two moons',
  nodes: [
    { id: 'in', type: 'input', params: {} },
    { id: 'h', type: 'dense', params: { units: 8 } },
    { id: 'sum', type: 'add', params: {} },
  ],
  edges: [
    { id: 'e1', from: 'in', to: 'h' },
    { id: 'e2', from: 'h', to: 'sum', slot: 0 },
    { id: 'e3', from: 'in', to: 'sum', slot: 1 },
  ],
  dataset: 'moons',
  lr: 0.05,
  batch: 16,
  layout: { h: { x: 10, y: 20 } },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function step(from: number, up: (json: JsonObject) => JsonObject = (json) => json): Migration {
  return { from, to: from + 1, description: `step ${from}`, up };
}

describe('the migration list', () => {
  it('has one step per version, in order, ending at the current version', () => {
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: CURRENT_VERSION }, (_, v) => [v, v + 1]));
    expect(CURRENT_VERSION).toBe(1);
  });
});

describe('v0 -> v1', () => {
  const v0ToV1 = MIGRATIONS.find((m) => m.from === 0);
  if (v0ToV1 === undefined) throw new Error('missing migration from version 0');

  it("renames edges' from/to/slot and moves dataset/lr/batch into training", () => {
    expect(v0ToV1.up(v0File)).toEqual({
      format: 'gradflow.model',
      version: 0, // the runner, not the step, sets the version
      name: 'two moons',
      nodes: v0File.nodes,
      edges: [
        { id: 'e1', source: 'in', target: 'h' },
        { id: 'e2', source: 'h', target: 'sum', targetSlot: 0 },
        { id: 'e3', source: 'in', target: 'sum', targetSlot: 1 },
      ],
      training: { dataset: 'moons', learningRate: 0.05, batchSize: 16 },
      layout: { h: { x: 10, y: 20 } },
    });
  });

  it('adds only the training settings the file had', () => {
    expect(v0ToV1.up({ format: 'gradflow.model', version: 0, nodes: [], edges: [], lr: 0.3 })).toEqual({
      format: 'gradflow.model',
      version: 0,
      nodes: [],
      edges: [],
      training: { learningRate: 0.3 },
    });
  });

  it('leaves what it does not recognize for the schema to report', () => {
    const odd = { format: 'gradflow.model', version: 0, edges: [5, null, { id: 'e', from: 'a', weight: 2 }], nodes: 'none' };
    expect(v0ToV1.up(odd)).toEqual({
      format: 'gradflow.model',
      version: 0,
      nodes: 'none',
      edges: [5, null, { id: 'e', source: 'a', weight: 2 }],
      training: {},
    });
    expect(v0ToV1.up({ format: 'gradflow.model', version: 0, edges: 'x' }).edges).toBe('x');
    expect(v0ToV1.up({ format: 'gradflow.model', version: 0 })).not.toHaveProperty('edges');
  });

  it('does not modify its input', () => {
    const frozen = deepFreeze(jsonClone(v0File));
    expect(() => v0ToV1.up(frozen)).not.toThrow();
    expect(frozen).toEqual(v0File);
  });
});

describe('migrate', () => {
  it('brings a version 0 file to the current version', () => {
    const r = migrate(v0File);
    expect(r).toMatchObject({ ok: true, fromVersion: 0, json: { version: CURRENT_VERSION, training: { learningRate: 0.05 } } });
  });

  it('passes a current file through unchanged', () => {
    const v1 = { format: 'gradflow.model', version: 1, nodes: [], edges: [] };
    expect(migrate(v1)).toEqual({ ok: true, json: v1, fromVersion: 1 });
  });

  it('refuses a file from a newer Gradflow', () => {
    expect(migrate({ format: 'gradflow.model', version: 3, nodes: [] })).toEqual({
      ok: false,
      error: { path: '', message: 'this file was saved by a newer Gradflow (format version 3); this version reads up to 1' },
    });
  });

  it.each([
    [{ version: 1 }, "not a Gradflow model file: 'format' should be 'gradflow.model', it is missing"],
    [{ format: 'tldraw', version: 1 }, "not a Gradflow model file: 'format' should be 'gradflow.model', got 'tldraw'"],
    [{ format: 'gradflow.model' }, "not a Gradflow model file: 'version' should be a whole number such as 1, it is missing"],
    [{ format: 'gradflow.model', version: '1' }, "not a Gradflow model file: 'version' should be a whole number such as 1, got '1'"],
    [{ format: 'gradflow.model', version: 1.5 }, "not a Gradflow model file: 'version' should be a whole number such as 1, got 1.5"],
    [{ format: 'gradflow.model', version: -1 }, "not a Gradflow model file: 'version' should be a whole number such as 1, got -1"],
    [[1, 2], 'not a Gradflow model file: expected a JSON object with "format": "gradflow.model", got a list'],
    [null, 'not a Gradflow model file: expected a JSON object with "format": "gradflow.model", got null'],
    ['gradflow.model', `not a Gradflow model file: expected a JSON object with "format": "gradflow.model", got 'gradflow.model'`],
  ])('refuses %j: %s', (json, message) => {
    expect(migrate(json)).toEqual({ ok: false, error: { path: '', message } });
  });
});

describe('migrateWith (the runner)', () => {
  const trail = (tag: string) => (json: JsonObject): JsonObject => ({ ...json, trail: `${String(json.trail ?? '')}${tag}` });
  const chain = [step(0, trail('a')), step(1, trail('b')), step(2, trail('c'))];

  it('applies the steps in order from the file version, setting each version', () => {
    const seen: unknown[] = [];
    const spy = (m: Migration): Migration => ({ ...m, up: (json) => (seen.push(json.version), m.up(json)) });
    const r = migrateWith({ format: 'gradflow.model', version: 0 }, chain.map(spy), 3);
    expect(r).toEqual({ ok: true, fromVersion: 0, json: { format: 'gradflow.model', version: 3, trail: 'abc' } });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('starts from the file version, whatever order the steps are listed in', () => {
    const r = migrateWith({ format: 'gradflow.model', version: 1 }, [...chain].reverse(), 3);
    expect(r).toEqual({ ok: true, fromVersion: 1, json: { format: 'gradflow.model', version: 3, trail: 'bc' } });
  });

  it('reports a gap in the chain rather than skipping a version', () => {
    const r = migrateWith({ format: 'gradflow.model', version: 0 }, [chain[0]!, chain[2]!], 3);
    expect(r).toEqual({ ok: false, error: { path: '', message: 'Gradflow cannot read format version 1: no migration from version 1 to 2' } });
  });
});

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
