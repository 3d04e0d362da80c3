import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
import { Tape } from '../engine/core/tape';
import { conv2d } from '../engine/ops/conv2d';

function time(label: string, shape: [number, number, number, number], ws: [number, number, number, number], padding: 'same' | 'valid', reps: number) {
  const t = new Tape({ maxBatch: shape[0] });
  const x = t.input('x', shape.slice(1), { requiresGrad: true });
  const w = t.param('w', ws);
  const y = conv2d(t, x, w, { padding });
  for (let i = 0; i < x.value.length; i++) x.value[i] = Math.random() - 0.5;
  for (let i = 0; i < w.value.length; i++) w.value[i] = Math.random() - 0.5;
  const seed = new Float32Array(y.size).map(() => Math.random() - 0.5);
  const step = () => { t.forward(); t.backwardFrom(y, seed); };
  for (let i = 0; i < 20; i++) step();
  let best = Infinity; let total = 0;
  for (let i = 0; i < reps; i++) { const s = performance.now(); step(); const d = performance.now() - s; total += d; best = Math.min(best, d); }
  const fwd = () => t.forward();
  let f = 0; for (let i = 0; i < reps; i++) { const s = performance.now(); fwd(); f += performance.now() - s; }
  console.log(`${label}: fwd+bwd mean ${(total / reps).toFixed(3)} ms, best ${best.toFixed(3)} ms; fwd only mean ${(f / reps).toFixed(3)} ms`);
  return total / reps;
}

async function tfTime(label: string, shape: [number, number, number, number], ws: [number, number, number, number], padding: 'same' | 'valid', reps: number) {
  await tf.setBackend('cpu');
  const x = tf.randomUniform(shape); const w = tf.randomUniform(ws);
  const dyShape = tf.conv2d(x as import('@tensorflow/tfjs-core').Tensor4D, w as import('@tensorflow/tfjs-core').Tensor4D, 1, padding).shape;
  const dy = tf.randomUniform(dyShape);
  const g = tf.grads((a: import('@tensorflow/tfjs-core').Tensor, b: import('@tensorflow/tfjs-core').Tensor) => tf.conv2d(a as import('@tensorflow/tfjs-core').Tensor4D, b as import('@tensorflow/tfjs-core').Tensor4D, 1, padding));
  const step = () => tf.tidy(() => { const r = g([x, w], dy); r[0]!.dataSync(); r[1]!.dataSync(); });
  for (let i = 0; i < 3; i++) step();
  let total = 0;
  for (let i = 0; i < reps; i++) { const s = performance.now(); step(); total += performance.now() - s; }
  console.log(`TF.js cpu ${label}: fwd+bwd mean ${(total / reps).toFixed(3)} ms`);
  return total / reps;
}

const a = time('A [32,28,28,1] -> 8 3x3 same', [32, 28, 28, 1], [3, 3, 1, 8], 'same', 200);
const b = time('B [32,14,14,8] -> 16 3x3 valid', [32, 14, 14, 8], [3, 3, 8, 16], 'valid', 200);
const ta = await tfTime('A', [32, 28, 28, 1], [3, 3, 1, 8], 'same', 10);
const tb = await tfTime('B', [32, 14, 14, 8], [3, 3, 8, 16], 'valid', 10);
console.log(`speedup A ${(ta / a).toFixed(1)}x, B ${(tb / b).toFixed(1)}x`);
