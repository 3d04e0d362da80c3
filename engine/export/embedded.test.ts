import { describe, expect, it } from 'vitest';
import { parseModel, serializeModel } from '../model';
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from './base64';
import { embedWeights, readEmbeddedWeights } from './embedded';
import { encodeSafetensors } from './safetensors';

/** Bytes 0..n-1 scrambled, so every byte value and slice boundary is exercised. */
const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);

describe('base64', () => {
  it('matches Node’s codec (an independent implementation) at every length around a slice boundary', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 36_863, 36_864, 36_865, 36_866, 110_593]) {
      const bytes = bytesOf(n);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(text)).toEqual(bytes);
      expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
  });

  it('refuses what is not padded base64, rather than reading it as other bytes', () => {
    for (const bad of ['abc', 'ab$d', 'ab=d', 'a===', 'ab c', 'YWJj\n', '-_-_']) expect(fromBase64(bad), bad).toBeNull();
    expect(fromBase64Url('ab+d')).toBeNull();
    expect(fromBase64Url('a')).toBeNull();
  });
});

const model = {
  format: 'gradflow.model',
  version: 1,
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'd', type: 'dense', params: { units: 2 } },
    { id: 'out', type: 'output' },
  ],
  edges: [
    { id: 'a', source: 'in', target: 'd' },
    { id: 'b', source: 'd', target: 'out' },
  ],
};

describe('weights embedded in a model file', () => {
  // Values no decimal text would keep: the round trip must be exact, bit for bit.
  const kernel = Float32Array.from([Math.PI, -0, 1e-45, 3.4028234663852886e38, -1 / 3, 0.1, Number.NaN, 2 ** -126]);
  const safetensors = encodeSafetensors([{ name: 'dense_1.kernel', shape: [4, 2], data: kernel }], { producer: 'gradflow' });

  it('travel as base64 in `weights`, after everything else, and come back bit for bit', () => {
    const text = serializeModel({ ...parseOk(JSON.stringify(model)), weights: embedWeights(safetensors) });
    expect(Object.keys(JSON.parse(text) as object).at(-1)).toBe('weights');
    const again = parseOk(text);
    const read = readEmbeddedWeights(again.weights!);
    if (!read.ok) throw new Error(read.problem);
    expect(read.bytes).toEqual(safetensors);
    expect(new Uint32Array(read.tensors[0]!.data.buffer, read.tensors[0]!.data.byteOffset, 8)).toEqual(new Uint32Array(kernel.buffer));
    expect(serializeModel(again)).toBe(text);
  });

  it('are absent from files without them, which read and write as before', () => {
    const text = serializeModel(parseOk(JSON.stringify(model)));
    expect(text).not.toContain('weights');
    expect(parseOk(text).weights).toBeUndefined();
  });

  it('that are not base64, or not a safetensors file, are refused with where and what', () => {
    const bad = parseModel(JSON.stringify({ ...model, weights: { format: 'safetensors', encoding: 'base64', data: 'ab$d' } }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^weights\.data: must be padded base64/)]);
    const other = parseModel(JSON.stringify({ ...model, weights: { format: 'pickle', encoding: 'base64', data: '' } }));
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.errors[0]!.message).toMatch(/^weights\.format: /);

    const cut = readEmbeddedWeights(embedWeights(safetensors.subarray(0, 40)));
    expect(cut).toMatchObject({ ok: false, problem: expect.stringMatching(/^weights: not a readable safetensors file: /) });
  });

  it('an unknown field beside them is a warning, as anywhere else in the format', () => {
    const parsed = parseModel(JSON.stringify({ ...model, weights: { ...embedWeights(safetensors), dtype: 'F32' } }));
    expect(parsed.ok && parsed.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^weights\.dtype: unknown field/)]);
  });
});

function parseOk(text: string) {
  const parsed = parseModel(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.model;
}
