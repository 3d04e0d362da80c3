import { describe, expect, it } from 'vitest';
import { MODEL_DATA_LIMITS, parseModel, parseModelObject, serializeModel, type ModelDefinition } from '.';

/** A small model on the user's CSV, as the app exports it. */
function csvModel(data?: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'gradflow.model',
    version: 1,
    name: 'Plants',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'd', type: 'dense', params: { units: 2 } },
      { id: 'out', type: 'output' },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'd' },
      { id: 'e2', source: 'd', target: 'out' },
    ],
    training: { dataset: 'csv' },
    ...(data ? { data } : {}),
  };
}

function loaded(json: unknown): { model: ModelDefinition; warnings: string[] } {
  const result = parseModelObject(json);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return { model: result.model, warnings: result.warnings.map((w) => w.message) };
}

/** CSV text with what JSON must escape or keep: a byte-order mark, CRLF, quotes, a backslash, tabs, accents, an emoji. */
const AWKWARD_CSV = '\uFEFFhöhe,"na""me",kind\r\n1.5,"a\\b\tc",🌿 fern\r\n2,x,moss\n';

describe('CSV data in a model file', () => {
  it('round-trips exactly: the text, its name, label column and task come back byte for byte, and save the same way', () => {
    const data = { kind: 'csv', name: 'plants (2).csv', labelColumn: 'kind', task: 'binary', text: AWKWARD_CSV };
    const { model, warnings } = loaded(csvModel(data));
    expect(warnings).toEqual([]);
    expect(model.data).toStrictEqual(data);
    const text = serializeModel(model);
    const again = parseModel(text);
    expect(again.ok && again.model).toStrictEqual(model);
    expect(again.ok && serializeModel(again.model)).toBe(text);
    // The data comes last, so the model reads first in the file.
    expect(Object.keys(JSON.parse(text) as object).at(-1)).toBe('data');
  });

  it('may name the CSV and its label column without carrying its rows', () => {
    const { model } = loaded(csvModel({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'multiclass' }));
    expect(model.data).toStrictEqual({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'multiclass' });
    expect(serializeModel(model)).not.toContain('"text"');
  });

  it('is optional: a file without it is valid, has no data, and is saved without a data field', () => {
    const { model, warnings } = loaded(csvModel());
    expect(warnings).toEqual([]);
    expect(model.data).toBeUndefined();
    expect(serializeModel(model)).not.toContain('"data"');
  });

  it('leaves older files loading through the migrations, without data', () => {
    const v0 = { format: 'gradflow.model', version: 0, nodes: [{ id: 'a', type: 'input' }], edges: [], dataset: 'iris', lr: 0.05 };
    const { model, warnings } = loaded(v0);
    expect(model.training).toMatchObject({ dataset: 'iris', learningRate: 0.05 });
    expect(model.data).toBeUndefined();
    expect(warnings).toEqual(['this file uses format version 0; it was upgraded to version 1 and will be saved as such']);
  });

  it(`refuses CSV text over ${MODEL_DATA_LIMITS.csvBytes / (1024 * 1024)} MB with its size, the limit and what to do instead`, () => {
    const header = 'a,label\n';
    const atLimit = header + 'x'.repeat(MODEL_DATA_LIMITS.csvBytes - header.length);
    expect(parseModelObject(csvModel({ kind: 'csv', name: 'big.csv', text: atLimit })).ok).toBe(true);
    // One two-byte character more: over the limit in UTF-8 although not in UTF-16 units.
    const over = `${atLimit.slice(0, -1)}é`;
    expect(over.length).toBe(MODEL_DATA_LIMITS.csvBytes);
    const result = parseModelObject(csvModel({ kind: 'csv', name: 'big.csv', text: over }));
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'data.text',
          message: 'data.text: the CSV is 5.1 MB; a model file carries at most 5 MB of CSV data (train on a larger one with npm run train -- model.json --data file.csv)',
        },
      ],
    });
  });

  it('refuses malformed data with where and what, and warns of unknown fields in it', () => {
    const bad = parseModelObject(csvModel({ kind: 'parquet', name: '', task: 'ranking', text: 3 }));
    expect(bad.ok ? [] : bad.errors.map((e) => e.message)).toEqual([
      "data.kind: must be 'csv', got 'parquet'",
      'data.name: must not be empty',
      "data.task: must be one of 'multiclass', 'binary', 'regression', got 'ranking'",
      'data.text: must be a string, got 3',
    ]);
    const { warnings } = loaded(csvModel({ kind: 'csv', name: 'p.csv', rows: 12 }));
    expect(warnings).toEqual(['data.rows: unknown field, ignored']);
  });
});
