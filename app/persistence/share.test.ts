import { deflateSync, strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../graph/document';
import { exportText } from './file';
import { encodeSafetensors } from '../../engine/export/safetensors';
import { compressShareWeights, decodeShareHash, encodeShareHash, MAX_SHARE_WEIGHTS_BYTES } from './share';
import { richDocument, spiralDocument } from './test-fixtures';

/** A share hash carrying the given bytes. */
function hashOf(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `#model=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

const modelHash = (text: string) => hashOf(zlibSync(strToU8(text)));

describe('share links: round trip', () => {
  it.each([
    ['the spiral example', spiralDocument],
    ['a document using every field', richDocument],
    ['an empty document', emptyDocument],
  ])('%s opens as the same document', (_, make) => {
    const doc = make();
    const hash = encodeShareHash(doc);
    expect(hash).toMatch(/^#model=[A-Za-z0-9_-]+$/);
    expect(decodeShareHash(hash)).toStrictEqual({ ok: true, doc, warnings: [] });
  });

  it('the 7-node spiral MLP fits a short link (compressed, well under its file size)', () => {
    const doc = spiralDocument();
    const hash = encodeShareHash(doc);
    console.info(`share hash for the 7-node spiral MLP: ${hash.length} characters (model file: ${exportText(doc).length})`);
    expect(hash.length).toBeLessThan(700);
    expect(hash.length).toBeLessThan(exportText(doc).length / 3);
  });

  it('reads the hash with or without "#", and beside other hash parameters', () => {
    const hash = encodeShareHash(spiralDocument());
    const data = hash.slice('#model='.length);
    const padded = `#model=${data}${'='.repeat((4 - (data.length % 4)) % 4)}`;
    for (const variant of [hash.slice(1), `#view=2&model=${data}`, `#model=${data}&view=2`, padded]) {
      expect(decodeShareHash(variant)).toStrictEqual({ ok: true, doc: spiralDocument(), warnings: [] });
    }
  });

  it('never carries the CSV: a link made by hand with CSV data opens the model without it, saying so', () => {
    const doc = { ...spiralDocument(), training: { ...spiralDocument().training, dataset: 'csv' } };
    const data = { kind: 'csv' as const, name: 'people.csv', labelColumn: 'income', text: 'age,income\n30,1\n' };
    expect(decodeShareHash(modelHash(exportText(doc, data)))).toStrictEqual({ ok: true, doc, warnings: ['the CSV data in the link was left out (links carry models, not data)'] });
    const { text: _, ...named } = data;
    expect(decodeShareHash(modelHash(exportText(doc, named)))).toStrictEqual({ ok: true, doc, warnings: [] });
  });

  it('gives null for a hash that carries no model', () => {
    for (const hash of ['', '#', '#section-2', '#view=2', '#models=abc']) expect(decodeShareHash(hash)).toBeNull();
  });
});

describe('share links: damaged links are refused with a reason', () => {
  const good = encodeShareHash(spiralDocument());
  const refused = (hash: string) => {
    const result = decodeShareHash(hash);
    expect(result?.ok).toBe(false);
    return result && !result.ok ? result.message : '';
  };

  it('an empty model', () => {
    expect(refused('#model=')).toBe('This share link cannot be opened: it holds no model.');
  });

  it('characters that are not base64url', () => {
    expect(refused(`${good.slice(0, 40)}$%21${good.slice(40)}`)).toMatch(/damaged or incomplete.*characters a share link does not use/);
    expect(refused(`${good}+`)).toMatch(/characters a share link does not use/);
  });

  it('a link cut off when copied', () => {
    for (const cut of [1, 2, 10, Math.floor(good.length / 2)]) {
      expect(refused(good.slice(0, -cut))).toBe('This share link cannot be opened: the link is damaged or incomplete (was it cut off when copied?).');
    }
  });

  it('no single changed character ever opens as a different model', () => {
    const data = good.slice('#model='.length);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let refusedCount = 0;
    for (let i = 0; i < data.length; i++) {
      const other = alphabet[(alphabet.indexOf(data[i]!) + 1 + (i % 63)) % 64]!;
      const result = decodeShareHash(`#model=${data.slice(0, i)}${other}${data.slice(i + 1)}`);
      if (result?.ok) expect(result.doc).toStrictEqual(spiralDocument()); // only unused low bits of the last character
      else refusedCount++;
    }
    expect(refusedCount).toBeGreaterThanOrEqual(data.length - 1);
  });

  it('data that is not zlib (raw deflate, or a wrong header)', () => {
    const text = exportText(spiralDocument());
    expect(refused(hashOf(deflateSync(strToU8(text))))).toMatch(/damaged or incomplete/);
    const wrongHeader = zlibSync(strToU8(text));
    wrongHeader[0] = 0x79;
    expect(refused(hashOf(wrongHeader))).toMatch(/damaged or incomplete/);
    expect(refused('#model=AAAA')).toMatch(/damaged or incomplete/);
  });

  it('a model that is not text', () => {
    expect(refused(hashOf(zlibSync(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))))).toMatch(/its model is not text/);
  });

  it('text that is not JSON: with line and column', () => {
    expect(refused(modelHash('{"format": "gradflow.model",}'))).toBe(
      "This share link cannot be opened: its model is not valid: not valid JSON at line 1, column 29: unexpected '}' (JSON does not allow a comma before '}').",
    );
  });

  it('JSON that fails the schema: with the field', () => {
    const text = exportText(spiralDocument()).replace('"type": "relu"', '"type": ""');
    expect(refused(modelHash(text))).toBe('This share link cannot be opened: its model is not valid: nodes[2].type: must not be empty.');
  });

  it('a model inflating past the size cap (a zip bomb) is stopped', () => {
    const bomb = zlibSync(new Uint8Array(6 * 1024 * 1024).fill(0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(10_000);
    expect(refused(hashOf(bomb))).toBe('This share link cannot be opened: the model in it is larger than 5 MB.');
  });
});

describe('share links: trained weights', () => {
  /** A safetensors file of `n` float32 values; random ones barely compress, as trained weights do not. */
  const weightsOf = (n: number, fill: (i: number) => number) => encodeSafetensors([{ name: 'dense_1.kernel', shape: [n], data: Float32Array.from({ length: n }, (_, i) => fill(i)) }]);
  const random = (seed: number) => (i: number) => Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453 % 1;

  it('ride in a second parameter and come back bit for bit; a link without them is as before', () => {
    const doc = spiralDocument();
    const weights = weightsOf(1251, random(1));
    const compressed = compressShareWeights(weights);
    expect(compressed.fits).toBe(true);
    const hash = encodeShareHash(doc, compressed);
    expect(hash).toMatch(/^#model=[A-Za-z0-9_-]+&weights=[A-Za-z0-9_-]+$/);
    expect(decodeShareHash(hash)).toStrictEqual({ ok: true, doc, warnings: [], weights });
    expect(encodeShareHash(doc)).not.toContain('weights');
  });

  it(`fit when they compress to at most ${MAX_SHARE_WEIGHTS_BYTES / 1024} KB: about 16,000 trained parameters`, () => {
    expect(compressShareWeights(weightsOf(15_000, random(2))).fits).toBe(true);
    expect(compressShareWeights(weightsOf(20_000, random(3))).fits).toBe(false);
    // Zeros compress to nothing: the limit is on the compressed size, not the count.
    expect(compressShareWeights(weightsOf(1_000_000, () => 0)).fits).toBe(true);
  });

  it('damaged, cut off, or not a safetensors file: the link is refused, saying it is the weights', () => {
    const model = encodeShareHash(spiralDocument());
    const good = encodeShareHash(spiralDocument(), compressShareWeights(weightsOf(100, random(4))));
    const refusal = (hash: string) => {
      const r = decodeShareHash(hash);
      return r && !r.ok ? r.message : 'opened';
    };
    expect(refusal(`${model}&weights=ab$d`)).toBe('This share link cannot be opened: the trained weights in it are damaged or incomplete (was it cut off when copied?).');
    expect(refusal(good.slice(0, -20))).toBe('This share link cannot be opened: the trained weights in it are damaged or incomplete (was it cut off when copied?).');
    expect(refusal(`${model}&weights=${hashOf(zlibSync(strToU8('not weights'))).slice('#model='.length)}`)).toMatch(/^This share link cannot be opened: its trained weights are not a readable safetensors file: /);
    expect(refusal(`${model}&weights=${hashOf(zlibSync(new Uint8Array(17 * 1024 * 1024))).slice('#model='.length)}`)).toBe('This share link cannot be opened: the trained weights in it are larger than 16 MB.');
  });
});
