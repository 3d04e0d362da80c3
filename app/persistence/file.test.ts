import { describe, expect, it } from 'vitest';
import { MODEL_DATA_LIMITS } from '../../engine/model';
import { emptyDocument } from '../graph/document';
import { exportFileName, exportText, importFile, importText, MAX_FILE_BYTES } from './file';
import { richDocument, spiralDocument } from './test-fixtures';

describe('exportFileName', () => {
  it.each<[string | undefined, string]>([
    ['Spiral MLP', 'spiral-mlp.gradflow.json'],
    ['Spiral MLP (ReLU)', 'spiral-mlp-relu.gradflow.json'],
    ['  --My  net!!  ', 'my-net.gradflow.json'],
    ['Café Résumé', 'cafe-resume.gradflow.json'],
    ['螺旋 MLP', '螺旋-mlp.gradflow.json'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a-b-c-d-e-f-g-h-i-j.gradflow.json'],
    ['CON', 'con-model.gradflow.json'],
    [undefined, 'model.gradflow.json'],
    ['', 'model.gradflow.json'],
    ['(!!)', 'model.gradflow.json'],
  ])('%j → %s', (name, expected) => {
    expect(exportFileName(name === undefined ? {} : { name })).toBe(expected);
  });

  it('cuts a long name to 60 characters without a trailing dash', () => {
    const name = exportFileName({ name: `${'a'.repeat(59)} b and more` });
    expect(name).toBe(`${'a'.repeat(59)}.gradflow.json`);
  });
});

describe('export and import', () => {
  it.each([
    ['the spiral example', spiralDocument],
    ['a document using every field', richDocument],
    ['an empty document', emptyDocument],
  ])('%s: export → import gives the same document, and the same text again', (_, make) => {
    const doc = make();
    const text = exportText(doc);
    const imported = importText(text, 'x.gradflow.json');
    expect(imported).toStrictEqual({ ok: true, doc, warnings: [] });
    if (imported.ok) expect(exportText(imported.doc)).toBe(text);
  });

  it('exports the layout with the model, one JSON document ending in a newline', () => {
    const text = exportText(richDocument());
    expect(text.endsWith('}\n')).toBe(true);
    const json = JSON.parse(text) as { format: string; layout: Record<string, unknown>; nodes: { label?: string }[] };
    expect(json.format).toBe('gradflow.model');
    expect(json.layout.n0).toEqual({ x: 40.5, y: -42.7 });
    expect(json.nodes[1]?.label).toBe('hidden 1');
  });

  it('reads a file of an older format version, with a warning', () => {
    const v0 = { format: 'gradflow.model', version: 0, lr: 0.2, nodes: [{ id: 'a', type: 'input' }], edges: [] };
    const result = importText(JSON.stringify(v0));
    expect(result.ok && result.doc.training.learningRate).toBe(0.2);
    expect(result.ok && result.warnings).toEqual([expect.stringMatching(/upgraded to version 1/)]);
  });

  it('reads a file with unknown fields, naming each in a warning', () => {
    const json = JSON.parse(exportText(spiralDocument())) as { nodes: Record<string, unknown>[] };
    json.nodes[0]!.colour = 'red';
    const result = importText(JSON.stringify(json));
    expect(result).toStrictEqual({ ok: true, doc: spiralDocument(), warnings: ['nodes[0].colour: unknown field, ignored'] });
  });
});

describe('import refuses what it cannot read, saying what and where', () => {
  const spiral = () => JSON.parse(exportText(spiralDocument())) as { nodes: Record<string, unknown>[]; training: Record<string, unknown> };

  it('a schema error names the file and the field', () => {
    const json = spiral();
    json.nodes[2]!.type = '';
    expect(importText(JSON.stringify(json), 'model.gradflow.json')).toEqual({
      ok: false,
      message: 'model.gradflow.json: nodes[2].type: must not be empty',
      problems: ['nodes[2].type: must not be empty'],
    });
  });

  it('several problems: the first in the message, all of them in the list', () => {
    const json = spiral();
    json.nodes[2]!.type = '';
    json.training.learningRate = -1;
    const result = importText(JSON.stringify(json), 'two.gradflow.json');
    expect(result).toEqual({
      ok: false,
      message: 'two.gradflow.json: nodes[2].type: must not be empty (and 1 more problem)',
      problems: ['nodes[2].type: must not be empty', 'training.learningRate: must be greater than 0, got -1'],
    });
  });

  it('text that is not JSON: line and column', () => {
    const text = exportText(spiralDocument()).replace('"units": 32\n', '"units": 32,\n');
    const line = text.split('\n').findIndex((l) => l.includes('"units": 32,')) + 2;
    const result = importText(text, 'bad.gradflow.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe(`bad.gradflow.json: not valid JSON at line ${line}, column 7: unexpected '}' (JSON does not allow a comma before '}')`);
  });

  it('an empty file, and JSON that is not a model', () => {
    expect(importText('', 'e.gradflow.json')).toMatchObject({ ok: false, message: 'e.gradflow.json: the file is empty' });
    const notModel = importText('[1, 2]', 'list.json');
    expect(notModel.ok).toBe(false);
    if (!notModel.ok) expect(notModel.message).toMatch(/^list\.json: \S/);
  });

  it('without a file name, the message is the problem alone', () => {
    expect(importText('{')).toMatchObject({ ok: false, message: expect.stringMatching(/^not valid JSON at line 1, column 2/) });
  });

  it('a file over the size cap, counting bytes of UTF-8, not characters', () => {
    const body = (fill: string, count: number) => `{"format": "gradflow.model", "description": "${fill.repeat(count)}"}`;
    const overhead = body('', 0).length;
    // 2 bytes per 'é': just under the cap in characters, over it in bytes.
    const big = importText(body('é', (MAX_FILE_BYTES - overhead) / 2 + 1), 'big.gradflow.json');
    expect(big).toMatchObject({ ok: false, message: 'big.gradflow.json: the file is 143.1 MB, more than the 143 MB a model file may have (is it a model file?)' });
    // 4 bytes per emoji (a surrogate pair, 2 UTF-16 units).
    expect(importText(body('😀', (MAX_FILE_BYTES - overhead) / 4 + 1)).ok).toBe(false);
    const atCap = importText(body('😀', Math.floor((MAX_FILE_BYTES - overhead) / 4)));
    expect(atCap.ok).toBe(false);
    if (!atCap.ok) expect(atCap.message).not.toMatch(/MB/); // refused by the schema (no version), not for size
  });
});

describe('importFile', () => {
  it('reads a picked file, naming it in problems', async () => {
    expect(await importFile(new File([exportText(richDocument())], 'rich.gradflow.json'))).toStrictEqual({ ok: true, doc: richDocument(), warnings: [] });
    expect(await importFile(new File(['{"format": 1}'], 'odd.gradflow.json'))).toMatchObject({ ok: false, message: expect.stringMatching(/^odd\.gradflow\.json: /) });
  });

  it('refuses a file over the cap without reading it', async () => {
    const huge = {
      name: 'movie.mp4',
      size: 700 * 1024 * 1024,
      text: () => Promise.reject(new Error('must not be read')),
    } as unknown as File;
    expect(await importFile(huge)).toMatchObject({ ok: false, message: 'movie.mp4: the file is 700 MB, more than the 143 MB a model file may have (is it a model file?)' });
  });
});

describe('a file with the CSV data', () => {
  const csvDoc = () => ({ ...spiralDocument(), training: { ...spiralDocument().training, dataset: 'csv' } });
  const data = { kind: 'csv' as const, name: 'plants.csv', labelColumn: 'kind', task: 'binary' as const, text: 'height,"kind"\r\n1.5,fern\n2,moss 🌿\n' };

  it('round-trips exactly: the same document, the same data, the same text again', () => {
    const text = exportText(csvDoc(), data);
    const imported = importText(text, 'plants.gradflow.json');
    expect(imported).toStrictEqual({ ok: true, doc: csvDoc(), warnings: [], data });
    if (imported.ok) expect(exportText(imported.doc, imported.data)).toBe(text);
  });

  it('naming the CSV without its rows is a valid file too', () => {
    const { text: _, ...named } = data;
    expect(importText(exportText(csvDoc(), named))).toStrictEqual({ ok: true, doc: csvDoc(), warnings: [], data: named });
  });

  it('refuses CSV data over the limit with its size and the limit, naming the file', () => {
    const text = exportText(csvDoc(), { ...data, text: `a,label\n${'1,0\n'.repeat(1_400_000)}` });
    expect(importText(text, 'big.gradflow.json')).toEqual({
      ok: false,
      message: expect.stringMatching(/^big\.gradflow\.json: data\.text: the CSV is 5\.4 MB; a model file carries at most 5 MB of CSV data/),
      problems: [expect.stringMatching(/^data\.text: /)],
    });
  });

  it('a file with a CSV at the limit is under the file cap, JSON escapes and all', () => {
    // The worst ordinary case: every other character a newline, which JSON writes as two.
    const text = exportText(csvDoc(), { ...data, text: 'a\n'.repeat(MODEL_DATA_LIMITS.csvBytes / 2) });
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    expect(importText(text).ok).toBe(true);
  });
});
