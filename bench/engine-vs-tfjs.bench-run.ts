/**
 * Benchmarks (npm run bench). For now: the GEMM kernel's throughput. The model benchmarks
 * against TensorFlow.js come with the engine's layers.
 */
import { gemm } from '../engine/kernels/gemm';
import { Rng } from '../engine/core/rng';

function gflops(n: number): number {
  const rng = new Rng(1);
  const a = Float32Array.from({ length: n * n }, () => rng.range(-1, 1));
  const b = Float32Array.from({ length: n * n }, () => rng.range(-1, 1));
  const c = new Float32Array(n * n);
  for (let i = 0; i < 3; i++) gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
  const reps = Math.max(3, Math.round(4e8 / (2 * n * n * n)));
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
  const seconds = (performance.now() - t0) / 1000;
  return (2 * n * n * n * reps) / seconds / 1e9;
}

console.log('matmul (square, float32, one core)');
for (const n of [64, 128, 256, 512]) console.log(`  ${String(n).padStart(4)}  ${gflops(n).toFixed(2)} GFLOP/s`);
