import { gather } from '../ops/gather';
import { pySource } from './torch';
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
  torch: {
    definitions: {
      // Mirrors engine/ops/gather.ts: ids arrive as floats (as the dataset stores them) and must be
      // whole numbers in 0..vocab-1 (never clamped); repeated ids add their gradients into one row.
      Embedding: pySource(
        'class Embedding(nn.Module):',
        '    """Token ids -> rows of the [vocab_size, output_dim] table `embeddings`: [B, T] ids give [B, T, output_dim]."""',
        '',
        '    def __init__(self, vocab_size, output_dim):',
        '        super().__init__()',
        '        self.embeddings = nn.Parameter(torch.empty(vocab_size, output_dim))',
        '        nn.init.uniform_(self.embeddings, -0.05, 0.05)',
        '',
        '    def forward(self, ids):',
        '        vocab_size = self.embeddings.shape[0]',
        '        if not bool(((ids >= 0) & (ids < vocab_size) & (ids == torch.floor(ids))).all()):',
        '            raise ValueError(f"token ids must be whole numbers in 0..{vocab_size - 1}")',
        '        return F.embedding(ids.long(), self.embeddings)',
      ),
    },
    module: (p, { dataset }) => `Embedding(${dataset.vocabSize ?? 0}, ${p.outputDim})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  onnx: {
    // engine/ops/gather.ts: the ids arrive as floats (as the dataset stores them) and pick rows of the
    // [vocab, outputDim] table: [B, T] ids give [B, T, outputDim]. Cast truncates, which is exact
    // for the whole numbers the engine accepts (ONNX Tensor type 7 is int64).
    write: (b, [x]) => b.op('Gather', [b.weight('embeddings'), b.op('Cast', [x!], { to: { i: 7 } })], { axis: { i: 0 } }),
  },
};
