import type { Tape, Var } from '../core/tape';

/**
 * Elementwise ops. Each entry holds its forward loop and, beside it, its backward loop:
 * backward adds dL/dx = dL/dy · f'(x) into gx, using x or y, whichever is cheaper.
 * `p` is the op's one numeric parameter (alpha, or the scale factor).
 */
interface UnaryKernel {
  forward(x: Float32Array, y: Float32Array, n: number, p: number): void;
  backward(x: Float32Array, y: Float32Array, gy: Float32Array, gx: Float32Array, n: number, p: number): void;
}

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf with absolute error below 1.2e-7 (Numerical Recipes erfc, Chebyshev fit): below float32 precision. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

export const unaryKernels = {
  relu: {
    forward(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = v > 0 ? v : 0; } },
    backward(x, _y, gy, gx, n) { for (let i = 0; i < n; i++) if (x[i]! > 0) gx[i]! += gy[i]!; },
  },
  leaky_relu: {
    forward(x, y, n, alpha) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = v > 0 ? v : alpha * v; } },
    backward(x, _y, gy, gx, n, alpha) { for (let i = 0; i < n; i++) gx[i]! += x[i]! > 0 ? gy[i]! : alpha * gy[i]!; },
  },
  elu: {
    forward(x, y, n, alpha) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = v > 0 ? v : alpha * Math.expm1(v); } },
    // For x <= 0, y = alpha(e^x - 1), so f'(x) = y + alpha.
    backward(x, y, gy, gx, n, alpha) { for (let i = 0; i < n; i++) gx[i]! += x[i]! > 0 ? gy[i]! : gy[i]! * (y[i]! + alpha); },
  },
  sigmoid: {
    forward(x, y, n) { for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]!)); },
    backward(_x, y, gy, gx, n) { for (let i = 0; i < n; i++) { const s = y[i]!; gx[i]! += gy[i]! * s * (1 - s); } },
  },
  tanh: {
    forward(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!); },
    backward(_x, y, gy, gx, n) { for (let i = 0; i < n; i++) { const t = y[i]!; gx[i]! += gy[i]! * (1 - t * t); } },
  },
  // Exact GELU, x·Φ(x), as PyTorch's default and Keras with approximate=False.
  gelu: {
    forward(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = 0.5 * v * (1 + erf(v * SQRT_HALF)); } },
    backward(x, _y, gy, gx, n) {
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        gx[i]! += gy[i]! * (0.5 * (1 + erf(v * SQRT_HALF)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
    },
  },
  // log(1 + e^x), written so that neither branch overflows.
  softplus: {
    forward(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); } },
    backward(x, _y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += gy[i]! / (1 + Math.exp(-x[i]!)); },
  },
  exp: {
    forward(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]!); },
    backward(_x, y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += gy[i]! * y[i]!; },
  },
  log: {
    forward(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.log(x[i]!); },
    backward(x, _y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += gy[i]! / x[i]!; },
  },
  square: {
    forward(x, y, n) { for (let i = 0; i < n; i++) { const v = x[i]!; y[i] = v * v; } },
    backward(x, _y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += 2 * x[i]! * gy[i]!; },
  },
  sqrt: {
    forward(x, y, n) { for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]!); },
    backward(_x, y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += gy[i]! / (2 * y[i]!); },
  },
  scale: {
    forward(x, y, n, c) { for (let i = 0; i < n; i++) y[i] = c * x[i]!; },
    backward(_x, _y, gy, gx, n, c) { for (let i = 0; i < n; i++) gx[i]! += c * gy[i]!; },
  },
  identity: {
    forward() { /* the output shares the input's values */ },
    backward(_x, _y, gy, gx, n) { for (let i = 0; i < n; i++) gx[i]! += gy[i]!; },
  },
} as const satisfies Record<string, UnaryKernel>;

export type UnaryOp = keyof typeof unaryKernels;

/** Records y = f(x) for an elementwise op; `param` is alpha for leaky_relu / elu and the factor for scale. */
export function unary(tape: Tape, op: UnaryOp, x: Var, param = 0): Var {
  const kernel: UnaryKernel = unaryKernels[op];
  const out = tape.output(op, x.shape, x.batched, x.requiresGrad, op === 'identity' ? x : undefined);
  const fast = fastUnary(tape, op, x, out);
  return tape.record(op, {
    out,
    inputs: [x],
    forward() {
      if (fast) fast.forward(out.size);
      else kernel.forward(x.value, out.value, out.size, param);
    },
    backward() {
      if (!x.requiresGrad) return;
      if (fast) fast.backward(out.size);
      else kernel.backward(x.value, out.value, out.grad, x.grad, out.size, param);
    },
  });
}

/**
 * The WebAssembly SIMD loops of the ops that dominate a step (ReLU, and every edge's identity,
 * whose backward adds the edge's gradient into its source's), when the tensors live in the
 * tape's WebAssembly arena. They compute the same floats as the TypeScript loops above.
 */
function fastUnary(tape: Tape, op: UnaryOp, x: Var, out: Var): { forward(n: number): void; backward(n: number): void } | undefined {
  if (op !== 'relu' && op !== 'identity') return undefined;
  const grads = x.requiresGrad ? [out.grad, x.grad] : [];
  const k = tape.arena.kernelsFor(x.value, out.value, ...grads);
  if (!k) return undefined;
  const xv = x.value.byteOffset;
  const y = out.value.byteOffset;
  const gy = x.requiresGrad ? out.grad.byteOffset : 0;
  const gx = x.requiresGrad ? x.grad.byteOffset : 0;
  if (op === 'identity') {
    return { forward() { /* shares the input's values */ }, backward: (n) => k.addTo(gx, gy, n) };
  }
  return { forward: (n) => k.reluForward(xv, y, n), backward: (n) => k.reluBackward(xv, gy, gx, n) };
}

export const relu = (t: Tape, x: Var): Var => unary(t, 'relu', x);
export const leakyRelu = (t: Tape, x: Var, alpha = 0.2): Var => unary(t, 'leaky_relu', x, alpha);
export const elu = (t: Tape, x: Var, alpha = 1): Var => unary(t, 'elu', x, alpha);
export const sigmoid = (t: Tape, x: Var): Var => unary(t, 'sigmoid', x);
export const tanh = (t: Tape, x: Var): Var => unary(t, 'tanh', x);
export const gelu = (t: Tape, x: Var): Var => unary(t, 'gelu', x);
export const softplus = (t: Tape, x: Var): Var => unary(t, 'softplus', x);
export const exp = (t: Tape, x: Var): Var => unary(t, 'exp', x);
export const log = (t: Tape, x: Var): Var => unary(t, 'log', x);
export const square = (t: Tape, x: Var): Var => unary(t, 'square', x);
export const sqrt = (t: Tape, x: Var): Var => unary(t, 'sqrt', x);
export const scale = (t: Tape, x: Var, factor: number): Var => unary(t, 'scale', x, factor);
/**
 * A new tensor with the same values and its own gradient: the compiler puts one on each graph
 * edge so that each edge's gradient (dL/dx through that edge alone) is kept apart.
 */
export const identity = (t: Tape, x: Var): Var => unary(t, 'identity', x);

/**
 * A graph edge's tensor: `identity`, or, when `shareGradient` (the edge is the only reader of x,
 * so dL/dx through it is all of dL/dx), a tensor that shares x's values and its gradient buffer.
 * Then nothing needs adding back in backward and one buffer less is zeroed per step; the edge's
 * gradient reads the same numbers.
 */
export function edgeOf(tape: Tape, x: Var, shareGradient: boolean): Var {
  if (!shareGradient || !x.requiresGrad) return identity(tape, x);
  const out = tape.output('identity', x.shape, x.batched, true, x, true);
  return tape.record('identity', {
    out,
    inputs: [x],
    forward() { /* the output shares the input's values */ },
    backward() { /* and its gradient: the readers of the edge added theirs into x's already */ },
  });
}
