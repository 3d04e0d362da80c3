import type { Var } from '../core/tape';
import { add } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import { softmax } from '../ops/softmax';
import { transpose } from '../ops/transpose';
import { scale } from '../ops/unary';
import type { LayerDef } from './types';
import { needSequence } from './sequence';
import { kernelInitializer, kernelInitializerSpec, useBiasSpec } from './weights';
import { pyBool, pyNumber, pySource } from './torch';

export type AttentionParams = { numHeads: number; keyDim: number; causal: boolean; useBias: boolean; kernelInitializer: string };

/** The name under which the layer exposes its attention weights (`BuildContext.expose`). */
export const ATTENTION_WEIGHTS = 'attention';

/**
 * What a causal mask adds to the scores above the diagonal. Added to a score of ordinary size it
 * leaves exactly -1e9 in float32, whose softmax weight is exactly 0 (so the future has no
 * influence, not merely a small one); the diagonal is never masked, so no row is all masked.
 */
export const MASKED_SCORE = -1e9;

/** The [steps, steps] additive causal mask: 0 where key j ≤ query i, MASKED_SCORE where j > i. */
export function causalMask(steps: number): Float32Array {
  const m = new Float32Array(steps * steps);
  for (let i = 0; i < steps; i++) m.fill(MASKED_SCORE, i * steps + i + 1, (i + 1) * steps);
  return m;
}

/**
 * Multi-head self-attention (Vaswani et al. 2017), [T, D] → [T, D] per sample:
 *   Q = x·Wq + bq, K = x·Wk + bk, V = x·Wv + bv   each [T, H·k], split into H heads of k
 *   A = softmax(Q·Kᵀ / √k + mask)                  [H, T, T] per sample, rows sum to 1
 *   y = concat_h(A_h·V_h)·Wo + bo                  [T, D]
 * The causal mask adds MASKED_SCORE where a query step would look at a later key step.
 *
 * Exposed tensor `attention` (ATTENTION_WEIGHTS): A for the batch, shape [B, H, T, T], row-major.
 * The weight with which query step i of head h reads key step j in sample b is at
 * ((b·H + h)·T + i)·T + j; only the first tape.batch samples are live. With causal on, every
 * entry with j > i is exactly 0.
 */
export const attentionLayer: LayerDef<AttentionParams> = {
  type: 'attention',
  label: 'Attention',
  category: 'Recurrent & Attention',
  description: 'Multi-head self-attention over time steps',
  keywords: ['self-attention', 'multi-head', 'mha', 'transformer', 'causal'],
  params: {
    numHeads: {
      kind: 'int',
      label: 'Heads',
      help: 'Number of attention heads. Each head learns its own pattern of which steps to look at.',
      default: 2,
      min: 1,
      max: 16,
    },
    keyDim: {
      kind: 'int',
      label: 'Key size',
      help: 'Length of the query, key and value vectors of each head.',
      default: 16,
      min: 1,
      max: 256,
    },
    causal: {
      kind: 'bool',
      label: 'Causal',
      help: 'Each step may only look at itself and earlier steps. Keep this on for next-character (language) models: without it, a step can read the very character it has to predict. Turn it off to let every step see the whole sequence, e.g. to classify whole sequences.',
      default: true,
    },
    useBias: useBiasSpec,
    kernelInitializer: kernelInitializerSpec,
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => `${p.numHeads}×${p.keyDim}${p.causal ? ', causal' : ''}`,
  infer: ([x]) => needSequence('Attention', x) ?? [...x!],
  paramCount([x], p) {
    const dim = x![1]!;
    const inner = p.numHeads * p.keyDim;
    return 4 * dim * inner + (p.useBias ? 3 * inner + dim : 0);
  },
  bufferFloats([x], _output, p) {
    const [steps, dim] = x as [number, number];
    const inner = p.numHeads * p.keyDim;
    // Values and gradients, per sample: the projections split into heads and the mixed values
    // merged back (22 T·inner, 6 more with biases); the scores, their mask sum and softmax
    // (H·T² each); the output projection.
    const heads = steps * inner * (22 + (p.useBias ? 6 : 0));
    const scores = (p.causal ? 6 : 4) * p.numHeads * steps * steps;
    return heads + scores + steps * dim * (p.useBias ? 4 : 2);
  },
  shrink: 'Use fewer heads or a smaller key size, or feed it shorter sequences.',
  build(ctx, [x], p) {
    const { tape } = ctx;
    if (!x!.batched || x!.rank !== 3) throw tape.error('attention', 'needs a batch of sequences [batch, steps, features]');
    const steps = x!.shape[1]!;
    const dim = x!.shape[2]!;
    const heads = p.numHeads;
    const k = p.keyDim;
    const inner = heads * k;
    const init = kernelInitializer(p.kernelInitializer, ctx.nextActivation);
    const project = (name: string, v: Var, from: number, to: number): Var => {
      const y = matmul(tape, v, ctx.param(`${name}_kernel`, [from, to], init));
      return p.useBias ? add(tape, y, ctx.param(`${name}_bias`, [to], { kind: 'zeros' })) : y;
    };
    // [B, T, H·k] → [B, H, T, k]
    const splitHeads = (v: Var): Var => transpose(tape, reshape(tape, v, [steps, heads, k]), [0, 2, 1, 3]);

    const q = splitHeads(scale(tape, project('query', x!, dim, inner), 1 / Math.sqrt(k)));
    const kh = splitHeads(project('key', x!, dim, inner));
    const vh = splitHeads(project('value', x!, dim, inner));
    let scores = matmul(tape, q, kh, { transB: true }); // [B, H, T, T]
    if (p.causal) scores = add(tape, scores, tape.constant('causal_mask', [steps, steps], causalMask(steps)));
    const weights = softmax(tape, scores);
    ctx.expose(ATTENTION_WEIGHTS, weights);
    const mixed = matmul(tape, weights, vh); // [B, H, T, k]
    const merged = reshape(tape, transpose(tape, mixed, [0, 2, 1, 3]), [steps, inner]);
    return project('output', merged, inner, dim);
  },
  torch: {
    definitions: {
      // Mirrors build() above step by step: fused [in, H·k] projection kernels named
      // `<query|key|value|output>_kernel` (+ `_bias`), heads as H blocks of k along the last axis,
      // the query scaled by 1/√k after its bias, the causal mask ADDED as MASKED_SCORE (not -inf,
      // and built in forward: the engine's mask is a tape constant, not a buffer in the weights
      // file), softmax over the key axis (the last).
      Attention: pySource(
        'class Attention(nn.Module):',
        '    """Multi-head self-attention on [batch, time, features], as Gradflow computes it:',
        '',
        '        Q = (x @ query_kernel + query_bias) / sqrt(key_dim),  K = x @ key_kernel + key_bias,  V likewise',
        '            each [B, T, H * key_dim], split into H heads of key_dim (head h: columns h * key_dim ...)',
        '        A = softmax(Q @ K^T + mask) over the key steps            [B, H, T, T]',
        '        y = concat_h(A_h @ V_h) @ output_kernel + output_bias   [B, T, features]',
        '',
        '    The causal mask adds MASKED_SCORE where key step j > query step i (its softmax weight is 0).',
        '    Kernels are [in, out] and fused over the heads, as Gradflow stores them.',
        '    """',
        '',
        `    MASKED_SCORE = ${pyNumber(MASKED_SCORE)}.0`,
        '',
        '    def __init__(self, features, num_heads, key_dim, causal, bias=True):',
        '        super().__init__()',
        '        self.num_heads, self.key_dim, self.causal = num_heads, key_dim, causal',
        '        inner = num_heads * key_dim',
        '        sizes = {"query": (features, inner), "key": (features, inner), "value": (features, inner), "output": (inner, features)}',
        '        for name, (n_in, n_out) in sizes.items():',
        '            kernel = nn.Parameter(torch.empty(n_in, n_out))',
        '            nn.init.xavier_uniform_(kernel)',
        '            setattr(self, f"{name}_kernel", kernel)',
        '            setattr(self, f"{name}_bias", nn.Parameter(torch.zeros(n_out)) if bias else None)',
        '',
        '    def project(self, name, x):',
        '        y = x @ getattr(self, f"{name}_kernel")',
        '        bias = getattr(self, f"{name}_bias")',
        '        return y if bias is None else y + bias',
        '',
        '    def split_heads(self, v):',
        '        """[B, T, H * k] -> [B, H, T, k]"""',
        '        return v.reshape(v.shape[0], v.shape[1], self.num_heads, self.key_dim).transpose(1, 2)',
        '',
        '    def forward(self, x):',
        '        batch, steps = x.shape[0], x.shape[1]',
        '        q = self.split_heads(self.project("query", x) * (1 / math.sqrt(self.key_dim)))',
        '        k = self.split_heads(self.project("key", x))',
        '        v = self.split_heads(self.project("value", x))',
        '        scores = q @ k.transpose(-2, -1)  # [B, H, T, T]',
        '        if self.causal:',
        '            mask = torch.full((steps, steps), self.MASKED_SCORE, dtype=scores.dtype, device=scores.device)',
        '            scores = scores + torch.triu(mask, diagonal=1)',
        '        weights = torch.softmax(scores, dim=-1)',
        '        mixed = (weights @ v).transpose(1, 2).reshape(batch, steps, self.num_heads * self.key_dim)',
        '        return self.project("output", mixed)',
      ),
    },
    module: (p, { inputs: [x] }) => `Attention(${x![x!.length - 1]}, ${p.numHeads}, ${p.keyDim}, causal=${pyBool(p.causal)}, bias=${pyBool(p.useBias)})`,
    forward: ([x], _p, { module }) => `${module}(${x})`,
  },
  // Mirrors build() node for node: fused [in, H·k] kernels as they are stored, heads split by
  // Reshape + Transpose (0 in a Reshape keeps the symbolic batch axis), the query scaled by 1/√k
  // after its bias, the causal mask ADDED as a constant [T, T] (broadcast over batch and heads).
  onnx: {
    write(b, [x], p, { inputs: [shape] }) {
      const steps = shape![0]!;
      const k = p.keyDim;
      const inner = p.numHeads * k;
      const project = (name: string, v: string): string => {
        const y = b.op('MatMul', [v, b.weight(`${name}_kernel`)]);
        return p.useBias ? b.op('Add', [y, b.weight(`${name}_bias`)]) : y;
      };
      // [B, T, H·k] → [B, T, H, k] → transposed by `perm`
      const heads = b.constant([0, steps, p.numHeads, k], [4], 'int64');
      const splitHeads = (v: string, perm: number[]): string => b.op('Transpose', [b.op('Reshape', [v, heads])], { perm: { ints: perm } });

      const scaled = b.op('Mul', [project('query', x!), b.constant([1 / Math.sqrt(k)], [])]);
      const q = splitHeads(scaled, [0, 2, 1, 3]); // [B, H, T, k]
      const kT = splitHeads(project('key', x!), [0, 2, 3, 1]); // Kᵀ per head: [B, H, k, T] (the engine's transB)
      const v = splitHeads(project('value', x!), [0, 2, 1, 3]); // [B, H, T, k]
      let scores = b.op('MatMul', [q, kT]); // [B, H, T, T]
      if (p.causal) scores = b.op('Add', [scores, b.constant(causalMask(steps), [steps, steps])]);
      const weights = b.op('Softmax', [scores], { axis: { i: -1 } });
      const mixed = b.op('MatMul', [weights, v]); // [B, H, T, k]
      // [B, H, T, k] → [B, T, H, k] → [B, T, H·k]
      const merged = b.op('Reshape', [b.op('Transpose', [mixed], { perm: { ints: [0, 2, 1, 3] } }), b.constant([0, steps, inner], [3], 'int64')]);
      return project('output', merged);
    },
  },
};
