import { gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDatasetFile } from '../testing/files';
import { loadBuiltinDataset } from './catalogue';
import { splitDataset } from './split';
import { decodeText, displayCharacter, textDataset, textWindowCount, unigramBaseline, unigramEntropy } from './text';
import { DatasetError } from './types';

const decode = (ids: ArrayLike<number>, vocabulary: string[]): string => Array.from(ids, (id) => vocabulary[id]).join('');

describe('textDataset', () => {
  const text = 'abcabd\ncab';
  const d = textDataset({ id: 'tiny', name: 'Tiny', bytes: strToU8(text), seqLength: 3 });

  it('cuts windows of seqLength characters; the targets are the same characters shifted by one', () => {
    expect(d.info).toMatchObject({ task: 'sequence', inputShape: [3], targetShape: [3], count: 3, kind: 'text', windows: { stride: 3, span: 4 } });
    const vocabulary = d.info.vocabulary!;
    const windows = Array.from({ length: 3 }, (_, w) => [decode(d.x.subarray(3 * w, 3 * w + 3), vocabulary), decode(d.y.subarray(3 * w, 3 * w + 3), vocabulary)]);
    expect(windows).toEqual([
      ['abc', 'bca'],
      ['abd', 'bd\n'],
      ['\nca', 'cab'],
    ]);
  });

  it('has the sorted distinct characters as its vocabulary, and shows space and line break visibly', () => {
    expect(d.info.vocabulary).toEqual(['\n', 'a', 'b', 'c', 'd']);
    expect(d.info).toMatchObject({ vocabSize: 5, numClasses: 5, classNames: ['⏎', 'a', 'b', 'c', 'd'] });
    expect([' ', '\n', '\t', 'x'].map(displayCharacter)).toEqual(['␣', '⏎', '⇥', 'x']);
  });

  it('reads gzipped or plain text, and Windows line ends as "\\n"', () => {
    expect(decodeText(gzipSync(strToU8('a\r\nb\rc')))).toBe('a\nb\nc');
    expect(decodeText(strToU8('plain'))).toBe('plain');
    expect(() => decodeText(new Uint8Array([0x1f, 0x8b, 1, 2]), 'book.txt.gz')).toThrow(/^book\.txt\.gz: the gzip data is damaged or cut short/);
  });

  it('counts a window only when the character after it exists', () => {
    expect(textWindowCount(10, 3)).toBe(3);
    expect(textWindowCount(10, 9)).toBe(1);
    expect(textWindowCount(10, 10)).toBe(0);
  });

  it('refuses a text too short for two windows, and a bad seqLength', () => {
    expect(() => textDataset({ id: 'tiny', name: 'Tiny', bytes: strToU8('abcdef'), seqLength: 4, source: 'short.txt' })).toThrow(
      new DatasetError('short.txt: 6 characters make 1 window(s) of 4; at least 2 are needed. Use a shorter seqLength.'),
    );
    expect(() => textDataset({ id: 'tiny', name: 'Tiny', bytes: strToU8(text), seqLength: 0 })).toThrow('tiny: seqLength must be a whole number from 2 to 256 (got 0)');
  });
});

describe('unigram baseline', () => {
  it('is the entropy of the token frequencies, in nats', () => {
    expect(unigramEntropy([0, 0, 0, 0], 3)).toBe(0);
    expect(unigramEntropy([0, 1, 2, 0, 1, 2], 3)).toBeCloseTo(Math.log(3), 12);
    // p = (1/2, 1/4, 1/4): H = ½ ln 2 + 2 · ¼ ln 4 = 1.5 ln 2.
    expect(unigramEntropy([0, 1, 0, 2], 3)).toBeCloseTo(1.5 * Math.LN2, 12);
    expect(() => unigramEntropy([0, 3], 3)).toThrow('token 2 has id 3, outside 0..2');
  });
});

describe('Moby Dick', () => {
  it('decodes to the book: vocabulary of 73 characters and windows that read as text', async () => {
    const d = await loadBuiltinDataset('moby_dick', {}, readDatasetFile);
    const vocabulary = d.info.vocabulary!;
    expect(vocabulary).toHaveLength(73);
    expect(vocabulary.slice(0, 3)).toEqual(['\n', ' ', '!']);
    expect(vocabulary).toEqual([...vocabulary].sort());
    expect(decode(d.x.subarray(0, 64), vocabulary)).toBe('CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago--never min');
    expect(decode(d.y.subarray(0, 32), vocabulary)).toBe('HAPTER 1. Loomings.\n\nCall me Ish');
  });

  it('keeps the test windows off the training text: the last fifth of the book, one window left out between', async () => {
    const d = await loadBuiltinDataset('moby_dick', {}, readDatasetFile);
    const split = splitDataset(d, { testFraction: 0.2, seed: 1 });
    const n = d.info.count;
    expect(split.test.count).toBe(Math.round(n * 0.2));
    expect(split.train.count).toBe(n - split.test.count - 1);
    // Training windows are the first ones in order, test windows the last ones.
    expect(split.train.x).toEqual(d.x.subarray(0, split.train.count * 32));
    expect(split.test.y).toEqual(d.y.subarray((n - split.test.count) * 32));
    // The other seed gives the same split: it is by position, not shuffled.
    expect(splitDataset(d, { testFraction: 0.2, seed: 2 }).test.x).toEqual(split.test.x);
  });

  it('has a unigram baseline of about 3.05 nats per character on the training split, below the uniform ln 73', async () => {
    const split = splitDataset(await loadBuiltinDataset('moby_dick', {}, readDatasetFile), { testFraction: 0.2, seed: 42 });
    // The same number counted from the raw text: training targets are characters 1 .. 32·trainCount.
    const raw = decodeText(await readDatasetFile('moby-dick-ch1-9.txt.gz')).slice(1, 32 * split.train.count + 1);
    const counts = new Map<string, number>();
    for (const ch of raw) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let entropy = 0;
    for (const c of counts.values()) entropy -= (c / raw.length) * Math.log(c / raw.length);
    const baseline = unigramBaseline(split);
    expect(baseline).toBeCloseTo(entropy, 10);
    expect(baseline).toBeGreaterThan(2.9);
    expect(baseline).toBeLessThan(3.2);
    expect(baseline).toBeLessThan(Math.log(73) - 1);
  });
});
