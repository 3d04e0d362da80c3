import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Arena } from '../core/arena';
import { createTrainingRun } from '../train/run';
import { countAllocations } from '../testing/alloc';
import { loadExample, readDatasetFile } from '../testing/files';
import { nodeThreadPool, type NodeThreadPool } from '../testing/node-threads';
import { gemm } from './gemm';
import { MIN_THREADED_MACS, setThreadPool, type ThreadPool } from './threads';
import { sharedKernelsSupported } from './wasm';

let pool: NodeThreadPool;

beforeAll(() => {
  pool = nodeThreadPool(2);
});

afterAll(async () => {
  setThreadPool(undefined);
  await pool.close();
});

/** A WebAssembly arena made while `helpers` is the pool (undefined: one thread). */
function arenaWith(helpers: ThreadPool | undefined, bytes: number): Arena {
  setThreadPool(helpers);
  try {
    return Arena.wasm(bytes);
  } finally {
    setThreadPool(undefined);
  }
}

async function helpersJoined(arena: Arena, count: number): Promise<void> {
  await vi.waitFor(() => expect(arena.threads?.ready).toBe(count), { timeout: 20_000, interval: 20 });
}

/** Deterministic values in [-1, 1) that are not round numbers. */
function fill(a: Float32Array, seed: number): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(seed + i * 0.618) * 0.9;
}

describe('the threaded matrix multiply', () => {
  it('can share a memory here (Node has SharedArrayBuffer and is not a page)', () => {
    expect(sharedKernelsSupported()).toBe(true);
  });

  // Shapes that split by rows (M large), by columns (M small, N wide), with ragged edges, and one
  // too small to split; all four transpose forms, with and without accumulation.
  const shapes: [number, number, number][] = [
    [256, 64, 128],
    [203, 37, 300],
    [9, 520, 700],
    [6, 33, 9000],
    [40, 40, 40],
  ];
  for (const [m, n, k] of shapes) {
    it(`gives the one-thread product bit for bit: ${m}×${n}×${k}, every transpose form, ± accumulate`, async () => {
      const threaded = arenaWith(pool, 4 * 4 * (m * k + k * n + m * n) + (1 << 16));
      const single = arenaWith(undefined, 4 * 4 * (m * k + k * n + m * n) + (1 << 16));
      expect(threaded.threadCount).toBe(3);
      expect(single.threadCount).toBe(1);
      await helpersJoined(threaded, 2);
      // Split whenever the size allows (the tuner, which may keep a product on one thread, is tested below).
      threaded.threads!.autotune = false;
      const on = (arena: Arena) => ({ a: arena.floats(m * k), b: arena.floats(k * n), c: arena.floats(m * n) });
      const t = on(threaded);
      const s = on(single);
      for (const x of [t, s]) {
        fill(x.a, 1);
        fill(x.b, 2);
      }
      const before = threaded.threads!.blocksHandedOut;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            for (const x of [t, s]) {
              fill(x.c, 3);
              gemm(transA, transB, m, n, k, x.a, 0, x.b, 0, x.c, 0, accumulate);
            }
            const label = `transA ${transA}, transB ${transB}, accumulate ${accumulate}`;
            expect(t.c.every((v, i) => Object.is(v, s.c[i])), label).toBe(true);
            // A real product, not zeros on both sides.
            expect(t.c.some((v) => Math.abs(v) > 1e-3), label).toBe(true);
          }
        }
      }
      const split = m * n * k >= MIN_THREADED_MACS;
      expect(threaded.threads!.blocksHandedOut - before).toBe(split ? 8 * 2 : 0);
    });
  }

  it('runs every product on the engine thread while no helper has joined, with the same results', () => {
    // A pool whose helpers never come: the arena must not wait for them.
    const absent: ThreadPool = { size: 2, attach() {} };
    const n = 192;
    const arena = arenaWith(absent, 4 * 4 * 3 * n * n);
    const single = arenaWith(undefined, 4 * 4 * 3 * n * n);
    expect(arena.threads!.ready).toBe(0);
    const [a, b, c] = [arena.floats(n * n), arena.floats(n * n), arena.floats(n * n)];
    const [a1, b1, c1] = [single.floats(n * n), single.floats(n * n), single.floats(n * n)];
    fill(a, 4); fill(b, 5); fill(a1, 4); fill(b1, 5);
    gemm(false, true, n, n, n, a, 0, b, 0, c, 0, false);
    gemm(false, true, n, n, n, a1, 0, b1, 0, c1, 0, false);
    expect(c.every((v, i) => Object.is(v, c1[i]))).toBe(true);
    expect(arena.threads!.blocksHandedOut).toBe(0);
  });

  it('a newer arena takes the helpers; the older one goes on correctly on its own thread', async () => {
    const n = 160;
    const first = arenaWith(pool, 4 * 4 * 3 * n * n);
    await helpersJoined(first, 2);
    const second = arenaWith(pool, 4 * 4 * 3 * n * n);
    await helpersJoined(second, 2);
    second.threads!.autotune = false;
    expect(first.threads!.ready).toBe(0);
    const single = arenaWith(undefined, 4 * 4 * 3 * n * n);
    const results = [first, second, single].map((arena) => {
      const [a, b, c] = [arena.floats(n * n), arena.floats(n * n), arena.floats(n * n)];
      fill(a, 6);
      fill(b, 7);
      gemm(true, false, n, n, n, a, 0, b, 0, c, 0, false);
      return c;
    });
    expect(results[0]!.every((v, i) => Object.is(v, results[2]![i]))).toBe(true);
    expect(results[1]!.every((v, i) => Object.is(v, results[2]![i]))).toBe(true);
    expect(first.threads!.blocksHandedOut).toBe(0);
    expect(second.threads!.blocksHandedOut).toBe(2);
  });

  it('allocates nothing per product, tuned or not', async () => {
    const n = 256;
    const arena = arenaWith(pool, 4 * 4 * 3 * n * n);
    await helpersJoined(arena, 2);
    const [a, b, c] = [arena.floats(n * n), arena.floats(n * n), arena.floats(n * n)];
    fill(a, 8);
    fill(b, 9);
    for (const autotune of [true, false]) {
      arena.threads!.autotune = autotune;
      const before = arena.threads!.blocksHandedOut;
      gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
      expect(countAllocations(() => {
        for (let i = 0; i < 20; i++) gemm(false, false, n, n, n, a, 0, b, 0, c, 0, i > 0);
      }), `autotune ${autotune}`).toBe(0);
      if (!autotune) expect(arena.threads!.blocksHandedOut - before).toBe(2 * 21);
    }
  });

  it('the tuner splits a shape when splitting is faster, keeps it on one thread when not, and tunes again later', async () => {
    const n = 128;
    const arena = arenaWith(pool, 4 * 4 * 3 * n * n + (1 << 16));
    await helpersJoined(arena, 2);
    const threads = arena.threads!;
    // A clock under the test's control: a product that handed out blocks takes `split` ms, one that did not `single` ms.
    let time = 0;
    let seen = threads.blocksHandedOut;
    let cost = { split: 1, single: 10 };
    threads.clock = () => {
      const wasSplit = threads.blocksHandedOut !== seen;
      seen = threads.blocksHandedOut;
      return (time += wasSplit ? cost.split : cost.single);
    };
    const [a, b, c] = [arena.floats(n * n), arena.floats(n * n), arena.floats(n * n)];
    fill(a, 10);
    fill(b, 11);
    const blocksOver = (calls: number): number => {
      const before = threads.blocksHandedOut;
      for (let i = 0; i < calls; i++) gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false);
      return threads.blocksHandedOut - before;
    };
    // Six trials (three each way: 3 splits of 2 blocks), then every product split.
    expect(blocksOver(6)).toBe(3 * 2);
    expect(blocksOver(100)).toBe(100 * 2);
    // The same product transposed is another shape, tuned on its own: here splitting is slower.
    cost = { split: 30, single: 10 };
    const transposed = (calls: number): number => {
      const before = threads.blocksHandedOut;
      for (let i = 0; i < calls; i++) gemm(true, false, n, n, n, a, 0, b, 0, c, 0, false);
      return threads.blocksHandedOut - before;
    };
    expect(transposed(6)).toBe(3 * 2);
    expect(transposed(100)).toBe(0);
    // The first shape is timed again after 2000 products: now splitting is slower, so it stops.
    expect(blocksOver(2000 - 106)).toBe((2000 - 106) * 2);
    expect(blocksOver(6)).toBe(3 * 2);
    expect(blocksOver(50)).toBe(0);
  });
});

describe('training on threads', () => {
  for (const file of ['mnist-cnn.json', 'mnist-mlp.json', 'tiny-transformer.json']) {
    it(`${file}: the same losses and weights after 5 Adam steps as on one thread, bit for bit`, async () => {
      const model = loadExample(file);
      setThreadPool(pool);
      const threaded = await createTrainingRun(model, readDatasetFile).finally(() => setThreadPool(undefined));
      const single = await createTrainingRun(model, readDatasetFile);
      const arena = threaded.plan.tape.arena;
      expect(arena.threadCount).toBe(3);
      expect(single.plan.tape.arena.threadCount).toBe(1);
      await helpersJoined(arena, 2);
      for (let step = 1; step <= 5; step++) {
        const a = threaded.trainer.trainStep();
        const b = single.trainer.trainStep();
        expect(Object.is(a.loss, b.loss), `loss at step ${step}: ${a.loss} vs ${b.loss}`).toBe(true);
      }
      threaded.plan.params.forEach((p, i) => {
        const q = single.plan.params[i]!;
        expect(p.value.every((v, j) => Object.is(v, q.value[j])), `weights of ${p.name}`).toBe(true);
      });
      // The helpers did take part (every one of these models has products worth splitting).
      expect(arena.threads!.blocksHandedOut).toBeGreaterThan(0);
    }, 120_000);
  }
});
