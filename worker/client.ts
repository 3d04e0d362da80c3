/**
 * The main thread's side of the training worker: one long-lived comlink proxy, and the watch
 * that comlink itself does not keep. A call still pending when a worker dies never settles on its
 * own, so the client rejects it with a clear error when the worker crashes (error event) or stops
 * answering (heartbeat), starts a fresh worker, re-subscribes, and tells the app so it can load the
 * graph again.
 */
import * as Comlink from 'comlink';
import type { SnapshotCallback, WorkerApi } from './api';

/** What the client needs of a Worker (a real one, or a MessageChannel port in tests). */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface ClientOptions {
  create: () => WorkerLike;
  /** How often to ping the worker. */
  heartbeatMs?: number;
  /** How long a ping may go unanswered before the worker counts as hung. */
  timeoutMs?: number;
  /** Called after a dead or hung worker was replaced; the app reloads its graph here. */
  onRestart?: (reason: string) => void;
}

export class WorkerDiedError extends Error {
  constructor(reason: string) {
    // The app keeps the graph and loads it again on the next Train: nothing is for the user to reload.
    super(`The training worker ${reason}; it has been restarted. Your graph is safe: press Train to go on.`);
    this.name = 'WorkerDiedError';
  }
}

export class TrainingClient {
  private worker!: WorkerLike;
  private remote!: Comlink.Remote<WorkerApi>;
  private readonly pending = new Set<(error: Error) => void>();
  private readonly listeners = new Set<SnapshotCallback>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private pingSentAt = 0;
  private disposed = false;
  /** How many times a worker was replaced. */
  restarts = 0;

  constructor(private readonly options: ClientOptions) {
    this.spawn();
  }

  /** Calls the worker; rejects with WorkerDiedError if the worker dies first. */
  call<R>(use: (api: Comlink.Remote<WorkerApi>) => R): Promise<Awaited<R>> {
    if (this.disposed) return Promise.reject(new Error('The training client was disposed.'));
    return new Promise<Awaited<R>>((resolve, reject) => {
      const fail = (e: Error): void => reject(e);
      this.pending.add(fail);
      Promise.resolve(use(this.remote)).then(
        (v) => {
          this.pending.delete(fail);
          resolve(v);
        },
        (e: unknown) => {
          this.pending.delete(fail);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /** Streams snapshots to `listener`, across worker restarts. Returns the function that stops it. */
  subscribe(listener: SnapshotCallback): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) void this.call((api) => api.subscribe(Comlink.proxy(this.dispatch))).catch(() => {});
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Fans a snapshot out to the page's listeners; the worker waits for this before sending another. */
  private readonly dispatch = async (snapshot: Parameters<SnapshotCallback>[0]): Promise<void> => {
    for (const l of this.listeners) await l(snapshot);
  };

  /** Replaces the worker now (used when a call reveals it is unusable, and by tests). */
  restart(reason: string): void {
    if (this.disposed) return;
    const error = new WorkerDiedError(reason);
    for (const fail of this.pending) fail(error);
    this.pending.clear();
    this.stopHeartbeat();
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
    this.restarts++;
    this.spawn();
    if (this.listeners.size > 0) void this.call((api) => api.subscribe(Comlink.proxy(this.dispatch))).catch(() => {});
    this.options.onRestart?.(reason);
  }

  dispose(): void {
    if (this.disposed) return;
    this.stopHeartbeat();
    for (const fail of this.pending) fail(new Error('The training client was disposed.'));
    this.pending.clear();
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
    this.disposed = true;
  }

  private spawn(): void {
    const worker = this.options.create();
    this.worker = worker;
    this.remote = Comlink.wrap<WorkerApi>(worker);
    worker.addEventListener('error', (event) => {
      if (this.worker !== worker) return;
      const message = (event as { message?: string }).message;
      this.restart(`crashed${message ? ` (${message})` : ''}`);
    });
    this.awaitingPong = false;
    const every = this.options.heartbeatMs ?? 1000;
    const timeout = this.options.timeoutMs ?? 8000;
    this.timer = setInterval(() => {
      if (this.worker !== worker) return;
      const now = Date.now();
      if (this.awaitingPong) {
        if (now - this.pingSentAt > timeout) this.restart(`stopped answering for ${Math.round(timeout / 1000)} s`);
        return;
      }
      this.awaitingPong = true;
      this.pingSentAt = now;
      this.remote.ping().then(
        () => {
          if (this.worker === worker) this.awaitingPong = false;
        },
        () => {},
      );
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
