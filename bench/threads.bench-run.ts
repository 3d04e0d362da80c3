/**
 * npm run bench — the threaded engine (engine/kernels/threads.ts) against itself on one thread, in
 * one Node process: the matrix kernel's GFLOP/s, the MLP 784-128-64-10's training samples per
 * second, and one epoch of the MNIST CNN example, each with one helper per core beyond the first
 * (Node worker threads, as the app uses Web Workers) and with none.
 *
 * Then a model of the work for machines with more cores: an epoch is the time inside matrix
 * products (which threads split) plus everything else (which stays on the engine's thread). Both
 * are measured on one thread; the products' speed-up per thread is measured here; so an epoch on
 * P threads takes (epoch - products) + products / (P · efficiency). Prints a table and writes
 * bench/results/threads.json. Asserts nothing about speed.
 *
 * Environment: BENCH_QUICK=1 (shorter timing windows, one epoch instead of the median of three),
 * BENCH_THREADS=<helpers> (default: one per core beyond the first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { it } from 'vitest';
import { timeSteps } from './timing';
import { Arena } from '../engine/core/arena';
import { Rng } from '../engine/core/rng';
import { Tape } from '../engine/core/tape';
import { gemm } from '../engine/kernels/gemm';
import { setThreadPool, type GemmThreads, type ThreadPool } from '../engine/kernels/threads';
import { createOptimizer } from '../engine/optim';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { nodeThreadPool } from '../engine/testing/node-threads';
import { mlp } from '../engine/testing/reference-models';
import { createTrainingRun } from '../engine/train/run';

const quick = process.env.BENCH_QUICK === '1';
const WINDOW_MS = quick ? 600 : 2000;
const HELPERS = Number(process.env.BENCH_THREADS ?? Math.max(1, availableParallelism() - 1));
const MODEL_THREADS = [2, 4, 8];

/** A pool whose helpers never join: the arena has the threaded dispatcher, and every product runs on one thread. */
const noHelpers: ThreadPool = { size: 1, attach() {} };

/** Waits until the arena's helpers have all joined (they start asynchronously); not for `noHelpers`. */
async function joined(arena: Arena): Promise<void> {
  const threads = arena.threads;
  while (threads && threads.ready < threads.helpers) await new Promise((r) => setTimeout(r, 10));
}

/** Makes `make()` with `pool` as the thread pool. */
async function withPool<T>(pool: ThreadPool | undefined, make: () => T | Promise<T>): Promise<T> {
  setThreadPool(pool);
  try {
    return await make();
  } finally {
    setThreadPool(undefined);
  }
}

function gflops(arena: Arena, n: number): number {
  const rng = new Rng(1);
  const [a, b, c] = [arena.floats(n * n), arena.floats(n * n), arena.floats(n * n)];
  for (let i = 0; i < n * n; i++) {
    a[i] = rng.range(-1, 1);
    b[i] = rng.range(-1, 1);
  }
  return (2 * n * n * n) / timeSteps(() => gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false), WINDOW_MS) / 1e9;
}

type Mode = 'one thread' | 'one thread, shared memory' | 'threads, tuned' | 'threads, every product split';
const MODES: Mode[] = ['one thread', 'one thread, shared memory', 'threads, tuned', 'threads, every product split'];

/** The pool a mode's arena is made with, and how its dispatcher is set. */
function setUp(mode: Mode, pool: ThreadPool): ThreadPool | undefined {
  if (mode === 'one thread') return undefined;
  if (mode === 'one thread, shared memory') return noHelpers;
  return pool;
}

async function ready(arena: Arena, mode: Mode): Promise<GemmThreads | undefined> {
  const threads = arena.threads;
  if (threads && mode !== 'one thread, shared memory') await joined(arena);
  return threads;
}

/** Times `threads.gemm` calls into the returned counter (ms). */
function timeProducts(threads: GemmThreads | undefined): { ms: number } {
  const total = { ms: 0 };
  if (!threads) return total;
  const inner = threads.gemm.bind(threads);
  threads.gemm = (...args: Parameters<GemmThreads['gemm']>) => {
    const t0 = performance.now();
    inner(...args);
    total.ms += performance.now() - t0;
  };
  return total;
}

/**
 * The three set-ups one after another (one thread, one thread on shared memory, then the threaded
 * arena last: making an arena takes the pool's helpers from the one before), the two threaded modes
 * being the threaded arena with the tuner on and off. Each mode's `measure` is called in turn,
 * ROUNDS times round-robin (so a machine that speeds up or slows down over the run does so for all),
 * and the median per mode is kept.
 */
async function roundRobin<T extends { products: { ms: number } }, R>(
  pool: ThreadPool,
  make: () => Promise<T> | T,
  arenaOf: (t: T) => Arena,
  measure: (t: T) => R,
  key: (r: R) => number,
): Promise<Record<Mode, R[]>> {
  const setups = new Map<Mode, T>();
  for (const mode of ['one thread', 'one thread, shared memory', 'threads, tuned'] as const) {
    const t = await withPool(setUp(mode, pool), make);
    await ready(arenaOf(t), mode);
    setups.set(mode, t);
  }
  setups.set('threads, every product split', setups.get('threads, tuned')!);
  const out = Object.fromEntries(MODES.map((m) => [m, [] as R[]])) as Record<Mode, R[]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const t = setups.get(mode)!;
      const threads = arenaOf(t).threads;
      if (threads) threads.autotune = mode !== 'threads, every product split';
      out[mode].push(measure(t));
    }
  }
  for (const mode of MODES) out[mode].sort((a, b) => key(a) - key(b));
  return out;
}

const ROUNDS = quick ? 1 : 3;
const mid = <R>(v: R[]): R => v[Math.floor(v.length / 2)]!;

it('threads vs one thread', async () => {
  const pool = nodeThreadPool(HELPERS);
  try {
    const threads = HELPERS + 1;
    console.log(`The threaded engine: ${threads} threads (the engine's and ${HELPERS} helper${HELPERS > 1 ? 's' : ''}) vs one, Node ${process.version}, ${availableParallelism()} cores\n`);
    const results: Record<string, unknown> = { threads, cores: availableParallelism(), node: process.version };

    console.log(`matmul, square, float32: GFLOP/s on one thread | ${threads} threads (every product split)`);
    const gemmResults: Record<string, { one: number; threaded: number }> = {};
    for (const n of [128, 256, 512]) {
      const bytes = 3 * 4 * n * n + (1 << 16);
      const one = gflops(await withPool(undefined, () => Arena.wasm(bytes)), n);
      const arena = await withPool(pool, () => Arena.wasm(bytes));
      await ready(arena, 'threads, every product split');
      const threaded = gflops(arena, n);
      gemmResults[n] = { one, threaded };
      console.log(`  ${String(n).padStart(4)}  ${one.toFixed(1)} | ${threaded.toFixed(1)}  (${(threaded / one).toFixed(2)}×)`);
    }
    results.gemmGflops = gemmResults;

    const rows: string[][] = [];
    const batch = 64;
    const mlpRuns = await roundRobin(
      pool,
      () => {
        const tape = new Tape({ maxBatch: batch, seed: 1, arena: Arena.wasm(64 << 20) });
        const rng = new Rng(1);
        const model = mlp(tape, [784, 128, 64, 10], 'relu', rng);
        model.fillBatch(rng);
        const optimizer = createOptimizer(tape.params, { kind: 'sgd', learningRate: 0.01 });
        return { tape, model, optimizer, products: { ms: 0 } };
      },
      (t) => t.tape.arena,
      (t) => batch / timeSteps(() => {
        t.tape.forward();
        t.tape.backward(t.model.loss);
        t.optimizer.step();
      }, WINDOW_MS),
      (r) => r,
    );
    const mlpRates = Object.fromEntries(MODES.map((m) => [m, mid(mlpRuns[m])])) as Record<Mode, number>;
    const epochRuns = await roundRobin(
      pool,
      async () => {
        const run = await createTrainingRun(loadExample('mnist-cnn.json'), readDatasetFile);
        for (let s = 0; s < 20; s++) run.trainer.trainStep();
        return { run, products: timeProducts(run.plan.tape.arena.threads) };
      },
      (t) => t.run.plan.tape.arena,
      (t) => {
        t.products.ms = 0;
        const t0 = performance.now();
        for (let s = 0; s < t.run.trainer.stepsPerEpoch; s++) t.run.trainer.trainStep();
        const seconds = (performance.now() - t0) / 1000;
        return { seconds, productSeconds: t.run.plan.tape.arena.threads ? t.products.ms / 1000 : null, samples: t.run.split.train.count };
      },
      (r) => r.seconds,
    );
    const epochs = Object.fromEntries(MODES.map((m) => [m, mid(epochRuns[m])])) as Record<Mode, { seconds: number; productSeconds: number | null; samples: number }>;
    const base = epochs['one thread'];
    for (const mode of MODES) {
      const e = epochs[mode];
      rows.push([
        mode === 'one thread' ? mode : mode.replace('threads', `${threads} threads`),
        mlpRates[mode].toFixed(0),
        e.seconds.toFixed(2),
        `${(base.seconds / e.seconds).toFixed(2)}×`,
        e.productSeconds === null ? '–' : e.productSeconds.toFixed(2),
      ]);
    }
    results.mlpSamplesPerSecond = mlpRates;
    results.mnistEpoch = epochs;
    const header = ['engine', 'MLP 784-128-64-10 samples/s', `MNIST CNN epoch (s, ${base.samples} digits)`, 'speed-up', 'of which products (s)'];
    console.log('\n| ' + header.join(' | ') + ' |\n|' + header.map(() => '---').join('|') + '|');
    for (const r of rows) console.log('| ' + r.join(' | ') + ' |');

    // The model: products split across P threads at the efficiency measured here (every product
    // split, so the split's own cost is in it); everything else stays on the engine's thread.
    const single = epochs['one thread, shared memory'];
    const split = epochs['threads, every product split'];
    const efficiency = single.productSeconds! / split.productSeconds! / threads;
    const rest = single.seconds - single.productSeconds!;
    const modelled = MODEL_THREADS.map((p) => {
      const seconds = rest + single.productSeconds! / (p * efficiency);
      return { threads: p, seconds, speedup: single.seconds / seconds };
    });
    console.log(`\nModel of an MNIST CNN epoch on P threads: ${rest.toFixed(2)} s outside products (one thread) + ${single.productSeconds!.toFixed(2)} s of products / (P × ${efficiency.toFixed(2)}, the efficiency per thread of a split measured on ${threads})`);
    console.log('| threads | epoch (s) | speed-up |\n|---|---|---|');
    for (const m of modelled) console.log(`| ${m.threads} | ${m.seconds.toFixed(2)} | ${m.speedup.toFixed(2)}× |`);
    console.log(`(with every product free: ${(single.seconds / rest).toFixed(2)}×)`);
    results.model = { restSeconds: rest, productSeconds: single.productSeconds, efficiency, modelled };

    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/threads.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
  } finally {
    await pool.close();
  }
});
