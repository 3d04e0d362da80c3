/**
 * Character-level text datasets: next-character prediction over windows of a text. The text is
 * used as it is (case, punctuation and line breaks kept; "\r\n" read as "\n"); its vocabulary is
 * its distinct characters in character-code order, and token ids index that list. The vocabulary
 * comes from the whole text, so a character seen only in the test region still has an id.
 *
 * Windows of `seqLength` characters start every `seqLength` characters, so every character is an
 * input once and a target once: input [T] = ids of text[s .. s+T), target [T] = ids of
 * text[s+1 .. s+T]. Neighbouring windows share one character (a window's last target is the next
 * one's first input); `info.windows` tells the split, which keeps test windows off training text.
 */
import { gunzipSync, strFromU8 } from 'fflate';
import { resolveSeqLength } from './sequences';
import { DatasetError } from './types';
import type { Dataset, SplitDataset } from './types';

export interface TextDatasetOptions {
  id: string;
  name: string;
  description?: string;
  /** The text file, gzipped or plain UTF-8. */
  bytes: Uint8Array;
  seqLength: number;
  /** The file name, for error messages. */
  source?: string;
}

/** The number of windows a text of `characters` characters gives (each needs T + 1 characters). */
export function textWindowCount(characters: number, seqLength: number): number {
  return Math.max(0, Math.floor((characters - 1) / seqLength));
}

/** Decodes a text file: inflated when gzipped (first bytes 1f 8b), line ends as "\n". */
export function decodeText(bytes: Uint8Array, source = 'text file'): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DatasetError(`${source}: the gzip data is damaged or cut short (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  return strFromU8(bytes).replace(/\r\n?/g, '\n');
}

/** How a character is shown in lists and legends: space and line break made visible. */
export function displayCharacter(ch: string): string {
  if (ch === ' ') return '␣';
  if (ch === '\n') return '⏎';
  if (ch === '\t') return '⇥';
  return ch;
}

export function textDataset(options: TextDatasetOptions): Dataset {
  const { id, seqLength: steps } = options;
  resolveSeqLength(id, steps);
  const source = options.source ?? 'text file';
  // By code point, so a character outside the BMP is one token.
  const chars = Array.from(decodeText(options.bytes, source));
  const count = textWindowCount(chars.length, steps);
  if (count < 2) {
    throw new DatasetError(`${source}: ${chars.length} characters make ${count} window(s) of ${steps}; at least 2 are needed. Use a shorter seqLength.`);
  }
  const vocabulary = [...new Set(chars)].sort();
  const idOf = new Map(vocabulary.map((ch, i) => [ch, i]));
  const ids = Float32Array.from(chars, (ch) => idOf.get(ch)!);
  const x = new Float32Array(count * steps);
  const y = new Float32Array(count * steps);
  for (let w = 0; w < count; w++) {
    x.set(ids.subarray(w * steps, (w + 1) * steps), w * steps);
    y.set(ids.subarray(w * steps + 1, (w + 1) * steps + 1), w * steps);
  }
  return {
    info: {
      id,
      name: options.name,
      task: 'sequence',
      inputShape: [steps],
      targetShape: [steps],
      numClasses: vocabulary.length,
      classNames: vocabulary.map(displayCharacter),
      vocabSize: vocabulary.length,
      vocabulary,
      count,
      description: options.description ?? `${chars.length.toLocaleString('en-US')} characters, ${vocabulary.length} distinct: predict each next character`,
      kind: 'text',
      windows: { stride: steps, span: steps + 1 },
    },
    x,
    y,
  };
}

/**
 * The unigram cross-entropy in nats per token: the loss of always predicting each token's
 * frequency among `targets`, measured on those same targets (their entropy). The best any model
 * that ignores context can do; a character model earns its keep below it.
 */
export function unigramEntropy(targets: ArrayLike<number>, vocabSize: number): number {
  const counts = new Float64Array(vocabSize);
  for (let i = 0; i < targets.length; i++) {
    const id = targets[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < vocabSize)) throw new DatasetError(`token ${i + 1} has id ${id}, outside 0..${vocabSize - 1}`);
    counts[id]! += 1;
  }
  const n = targets.length;
  let entropy = 0;
  for (const c of counts) if (c > 0) entropy -= (c / n) * Math.log(c / n);
  return entropy;
}

/** The unigram baseline of a token-sequence split, fitted on and measured over its training targets. */
export function unigramBaseline(split: SplitDataset): number {
  const vocabSize = split.info.vocabSize ?? split.info.numClasses;
  if (!vocabSize) throw new DatasetError(`${split.info.name} has no token vocabulary, so it has no unigram baseline.`);
  return unigramEntropy(split.train.y, vocabSize);
}
