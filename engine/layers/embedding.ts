import { gather } from '../ops/gather';
import { describeShape, problem, type LayerDef } from './types';

export type EmbeddingParams = { outputDim: number };

/**
 * Token ids → learned vectors: row id of a [vocabSize, outputDim] table for every time step, so
 * [T] ids per sample give [T, outputDim]. The vocabulary size is the dataset's (`vocabSize`).
 * An id outside 0..vocabSize-1 (or not a whole number) stops the forward pass with an error
 * that names this node and the vocabulary size (see `gather`); ids are never clamped silently.
 */
export const embeddingLayer: LayerDef<EmbeddingParams> = {
  type: 'embedding',
  label: 'Embedding',
  category: 'Recurrent & Attention',
  description: 'Turns token ids into learned vectors',
  keywords: ['token', 'lookup', 'word vectors', 'text', 'characters', 'transformer'],
  params: {
    outputDim: {
      kind: 'int',
      label: 'Vector size',
      help: 'Length of the vector learned for each token. Larger vectors can hold more about each token but train slower.',
      default: 32,
      min: 1,
      max: 1024,
    },
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => `${p.outputDim}`,
  infer([x], p, { dataset }) {
    if (!dataset.vocabSize) {
      return problem(
        `Embedding reads token ids, but the ${dataset.name} dataset gives feature values.`,
        'Pick a text or token dataset, or remove the Embedding.',
      );
    }
    if (!x || x.length !== 1) {
      return problem(
        `Embedding reads one token id per time step (a list of ids per sample), but gets ${x ? describeShape(x) : 'nothing'}.`,
        'Connect the Input (the token ids) straight into the Embedding.',
        0,
      );
    }
    return [x[0]!, p.outputDim];
  },
  paramCount: (_inputs, p, { dataset }) => (dataset.vocabSize ?? 0) * p.outputDim,
  shrink: 'Give it a smaller vector size.',
  build(ctx, [x], p) {
    const vocab = ctx.dataset.vocabSize;
    if (!vocab) throw ctx.tape.error('embedding', `the ${ctx.dataset.name} dataset has no token vocabulary`);
    // Keras's default for embeddings: uniform in ±0.05.
    const table = ctx.param('embeddings', [vocab, p.outputDim], { kind: 'uniform' });
    return gather(ctx.tape, table, x!);
  },
};
