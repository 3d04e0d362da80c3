/**
 * A ThreadPool of Node worker threads (engine/kernels/threads.ts), for tests and benchmarks: what
 * the app's training worker does with Web Workers (worker/threads.ts), done with worker_threads.
 */
import { Worker } from 'node:worker_threads';
import type { ThreadPool } from '../kernels/threads';

export interface NodeThreadPool extends ThreadPool {
  /** Ends the helpers (after the arenas they serve are let go, or they are killed mid-wait). */
  close(): Promise<void>;
}

export function nodeThreadPool(size: number): NodeThreadPool {
  const workers = Array.from({ length: size }, () => {
    // The helper is TypeScript: its .mjs entry registers tsx's loader first.
    const worker = new Worker(new URL('./node-thread-helper.mjs', import.meta.url));
    worker.unref();
    return worker;
  });
  return {
    size,
    attach(memory, module, control) {
      workers.forEach((worker, slot) => worker.postMessage({ memory, module, control, slot }));
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
