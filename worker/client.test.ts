import { afterEach, describe, expect, it } from 'vitest';
import { TrainingClient, WorkerDiedError, type WorkerLike } from './client';
import { fakeWorker } from './testing';
import { loadExample } from '../engine/testing/files';
import type { Snapshot } from './protocol';

let client: TrainingClient | undefined;
afterEach(() => client?.dispose());

/** Fake workers, remembered so a test can crash or freeze one. */
function spawner() {
  const made: ReturnType<typeof fakeWorker>[] = [];
  return { made, create: (): WorkerLike => { const w = fakeWorker(); made.push(w); return w; } };
}

describe('TrainingClient', () => {
  it('rejects a pending call when the worker crashes, starts a new worker, and re-subscribes', async () => {
    const workers = spawner();
    const restarts: string[] = [];
    client = new TrainingClient({ create: workers.create, heartbeatMs: 50, onRestart: (r) => restarts.push(r) });
    const snapshots: Snapshot[] = [];
    client.subscribe((s) => void snapshots.push(s));
    expect((await client.call((api) => api.load(loadExample('spiral-mlp.json')))).ok).toBe(true);
    // A call that will never be answered, then the worker crashes.
    const pending = client.call(() => new Promise<never>(() => {}));
    workers.made[0]!.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    await expect(pending).rejects.toBeInstanceOf(WorkerDiedError);
    await expect(pending).rejects.toThrow(/^The training worker crashed \(out of memory\); it has been restarted\. Your graph is safe: press Train to go on\.$/);
    expect(restarts).toEqual(['crashed (out of memory)']);
    expect(workers.made.length).toBe(2);
    // The app reloads its graph into the new worker, and snapshots flow to the same listener.
    const before = snapshots.length;
    expect((await client.call((api) => api.load(loadExample('spiral-mlp.json')))).ok).toBe(true);
    await client.call((api) => api.step(3));
    expect(snapshots.length).toBeGreaterThan(before);
    expect(snapshots.at(-1)!.step).toBe(3);
  });

  it('detects a hung worker by its heartbeat and restarts it', async () => {
    const workers = spawner();
    const restarts: string[] = [];
    client = new TrainingClient({ create: workers.create, heartbeatMs: 20, timeoutMs: 150, onRestart: (r) => restarts.push(r) });
    expect(await client.call((api) => api.ping())).toBe('pong');
    // Freeze the first worker: its port stops delivering messages, as a stuck thread would.
    workers.made[0]!.port.close();
    const pending = client.call((api) => api.state());
    await expect(pending).rejects.toThrow('stopped answering');
    expect(restarts.length).toBe(1);
    expect(await client.call((api) => api.ping())).toBe('pong');
  });

  it('keeps a healthy busy worker: a long training run does not trip the heartbeat', async () => {
    const workers = spawner();
    const restarts: string[] = [];
    client = new TrainingClient({ create: workers.create, heartbeatMs: 20, timeoutMs: 300, onRestart: (r) => restarts.push(r) });
    await client.call((api) => api.load(loadExample('spiral-mlp.json')));
    await client.call((api) => api.start());
    await new Promise((r) => setTimeout(r, 600));
    await client.call((api) => api.pause());
    expect(restarts).toEqual([]);
    expect((await client.call((api) => api.state())).step).toBeGreaterThan(50);
  });
});
