/**
 * The training worker's helper threads (engine/kernels/threads.ts): Web Workers that the engine's
 * matrix products are split across, on the arena's shared memory. They need SharedArrayBuffer,
 * which a browser gives only to a cross-origin isolated page (the COOP and COEP headers of
 * deploy/headers.ts), and spare cores.
 *
 * By default the engine takes helpers only on a device with at least MIN_CORES_FOR_THREADS cores:
 * on 2 cores, measured (bench/threads.bench-run.ts), the example models' products are too small for
 * a split to beat its cost (a helper's wake-up and reply, ~30 µs, and moving C between caches), a
 * shared memory makes some kernels slower (the MNIST CNN's single-thread epoch by about 10%), and
 * the page's own rendering needs the second core. `?threads=N` in the page's address asks for N
 * threads whatever the cores (for measuring, and for the tests of the threaded path on a small machine).
 */
import { MAX_HELPERS, type ThreadPool } from '../engine/kernels/threads';
import { sharedKernelsSupported, wasmKernelsSupported } from '../engine/kernels/wasm';

/** Cores a device needs before the engine takes helper threads by default. */
export const MIN_CORES_FOR_THREADS = 4;

/** The training worker's name (the Worker's `name` option): its base, and the threads asked for, if any. */
export const WORKER_NAME = 'gradflow-training';

/** The worker name that carries `?threads=N` from the page's address (`search`) into the worker. */
export function workerName(search: string): string {
  const requested = requestedThreads(search);
  return requested === undefined ? WORKER_NAME : `${WORKER_NAME} threads=${requested}`;
}

/** N from `threads=N` in a query string or a worker name (1 to 16), else undefined. */
export function requestedThreads(text: string): number | undefined {
  const match = /(?:^|[?&\s])threads=(\d+)(?:$|[&\s])/.exec(text);
  if (!match) return undefined;
  const n = Number(match[1]);
  return n >= 1 ? Math.min(n, 1 + MAX_HELPERS) : undefined;
}

interface Here {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  name?: string;
  location?: { search?: string };
}

/** The threads asked for here: by the training worker's name, or on the page by its address. */
export function requestedHere(): number | undefined {
  const here = globalThis as unknown as Here;
  return requestedThreads(here.name ?? '') ?? requestedThreads(here.location?.search ?? '');
}

/** Threads the engine would use here (its own plus helpers), and, when one, why no more. `requested`: from `?threads=N`. */
export function threadsHere(requested?: number): { threads: number; whyOne?: string } {
  const here = globalThis as unknown as Here;
  const cores = here.navigator?.hardwareConcurrency ?? 1;
  if (!wasmKernelsSupported()) return { threads: 1, whyOne: 'the TypeScript kernels run on one thread' };
  if (requested === 1) return { threads: 1, whyOne: 'the address asks for one (?threads=1)' };
  if (here.crossOriginIsolated !== true) return { threads: 1, whyOne: 'the page is not cross-origin isolated, so threads cannot share memory' };
  if (!sharedKernelsSupported()) return { threads: 1, whyOne: 'this browser cannot share WebAssembly memory between threads' };
  if (requested !== undefined) return { threads: requested };
  if (cores < MIN_CORES_FOR_THREADS) {
    const hint = cores > 1 ? ` (?threads=${cores} in the address asks for ${cores})` : '';
    return { threads: 1, whyOne: `this device reports ${cores === 1 ? 'one core' : `${cores} cores`} and threads pay from ${MIN_CORES_FOR_THREADS}${hint}` };
  }
  // One thread per core: the engine's own and a helper on each of the others.
  return { threads: 1 + Math.min(cores - 1, MAX_HELPERS) };
}

/** Starts the helpers, or undefined where the engine runs on one thread. `requested`: from `?threads=N`. */
export function startHelperThreads(requested?: number): ThreadPool | undefined {
  const helpers = threadsHere(requested).threads - 1;
  if (helpers < 1) return undefined;
  const workers = Array.from({ length: helpers }, (_, i) => new Worker(new URL('./gemm-helper.worker.ts', import.meta.url), { type: 'module', name: `gradflow-helper-${i + 1}` }));
  return {
    size: helpers,
    attach(memory, module, control) {
      workers.forEach((worker, slot) => worker.postMessage({ memory, module, control, slot }));
    },
  };
}
