import { gemm, reserveGemm } from '../kernels/gemm';
import { formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * Matrix product over the last two axes.
 * - b is 2-D: a's leading axes are flattened into rows, so [..., K] · [K, N] gives [..., N]
 *   (a Dense layer acting on the last axis, also per time step).
 * - b has the same leading axes as a: one product per leading index ([B, H, T, D] · [B, H, D, T]),
 *   as attention needs.
 * transA / transB use the transpose of the last two axes of a / b.
 */
export function matmul(tape: Tape, a: Var, b: Var, options: MatmulOptions = {}): Var {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (a.rank < 2) throw tape.error('matmul', `the first operand needs at least 2 axes, got ${formatShape(a.shape)}`);
  if (b.rank < 2) throw tape.error('matmul', `the second operand needs at least 2 axes, got ${formatShape(b.shape)}`);
  const aRows = transA ? a.shape[a.rank - 1]! : a.shape[a.rank - 2]!;
  const k = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
  const kb = transB ? b.shape[b.rank - 1]! : b.shape[b.rank - 2]!;
  const n = transB ? b.shape[b.rank - 2]! : b.shape[b.rank - 1]!;
  if (k !== kb) {
    throw tape.error('matmul', `inner dimensions ${k} and ${kb} differ (${formatShape(a.shape)} · ${formatShape(b.shape)})`);
  }

  const flat = b.rank === 2 && !b.batched;
  if (flat && transA && a.batched) throw tape.error('matmul', 'transA on a batched operand needs a batched second operand');
  if (!flat) {
    const la = a.shape.slice(0, -2);
    const lb = b.shape.slice(0, -2);
    if (la.length !== lb.length || la.some((d, i) => d !== lb[i]) || a.batched !== b.batched) {
      throw tape.error('matmul', `leading axes must match for a batched product, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
  }
  const outShape = [...a.shape.slice(0, -2), aRows, n];
  const out = tape.output('matmul', outShape, a.batched || b.batched, a.requiresGrad || b.requiresGrad);

  // Rows of the product when a's leading axes are flattened (flat case), at max batch.
  const maxRows = flat ? a.value.length / k : aRows;
  reserveGemm(maxRows, n, k);
  reserveGemm(maxRows, k, n);
  reserveGemm(k, n, maxRows);

  const aMat = aRows * k;
  const bMat = k * n;
  const cMat = aRows * n;

  return tape.record('matmul', {
    out,
    inputs: [a, b],
    forward() {
      if (flat) {
        const m = transA ? aRows : a.size / k;
        gemm(transA, transB, m, n, k, a.value, 0, b.value, 0, out.value, 0, false);
        return;
      }
      const count = out.size / cMat;
      for (let i = 0; i < count; i++) {
        gemm(transA, transB, aRows, n, k, a.value, i * aMat, b.value, i * bMat, out.value, i * cMat, false);
      }
    },
    backward() {
      const m = flat && !transA ? a.size / k : aRows;
      const count = flat ? 1 : out.size / cMat;
      for (let i = 0; i < count; i++) {
        const ao = flat ? 0 : i * aMat;
        const bo = flat ? 0 : i * bMat;
        const co = flat ? 0 : i * cMat;
        // Flat case: the gradient of b sums over all rows; accumulate across the loop.
        if (a.requiresGrad) gradA(transA, transB, m, n, k, b.value, bo, out.grad, co, a.grad, ao);
        if (b.requiresGrad) gradB(transA, transB, m, n, k, a.value, ao, out.grad, co, b.grad, bo);
      }
    },
  });
}

/** dA for C = op(A)·op(B), added into ga (stored like A). */
function gradA(transA: boolean, transB: boolean, m: number, n: number, k: number,
  b: Float32Array, bo: number, gc: Float32Array, co: number, ga: Float32Array, ao: number): void {
  if (!transA && !transB) gemm(false, true, m, k, n, gc, co, b, bo, ga, ao, true); // dC·Bᵀ
  else if (!transA && transB) gemm(false, false, m, k, n, gc, co, b, bo, ga, ao, true); // dC·B
  else if (transA && !transB) gemm(false, true, k, m, n, b, bo, gc, co, ga, ao, true); // B·dCᵀ
  else gemm(true, true, k, m, n, b, bo, gc, co, ga, ao, true); // Bᵀ·dCᵀ
}

/** dB for C = op(A)·op(B), added into gb (stored like B). */
function gradB(transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, ao: number, gc: Float32Array, co: number, gb: Float32Array, bo: number): void {
  if (!transA && !transB) gemm(true, false, k, n, m, a, ao, gc, co, gb, bo, true); // Aᵀ·dC
  else if (transA && !transB) gemm(false, false, k, n, m, a, ao, gc, co, gb, bo, true); // A·dC
  else if (!transA && transB) gemm(true, false, n, k, m, gc, co, a, ao, gb, bo, true); // dCᵀ·A
  else gemm(true, true, n, k, m, gc, co, a, ao, gb, bo, true); // dCᵀ·Aᵀ
}
