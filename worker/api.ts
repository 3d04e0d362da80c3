/**
 * What the worker exposes with comlink. Kept apart from the entry (which calls `expose`) so tests
 * can drive it through comlink over a MessageChannel without a Worker.
 */
import * as Comlink from 'comlink';
import type { CsvChoice, TrainingSession } from './session';
import { gridBuffers, snapshotBuffers, type ProgressCallback, type Snapshot } from './protocol';
import type { SampleTextOptions } from './sequence';

export type SnapshotCallback = (snapshot: Snapshot) => void | Promise<void>;

export function createWorkerApi(session: TrainingSession) {
  const subscriptions = new Map<number, { stop: () => void; callback: SnapshotCallback }>();
  let nextId = 1;
  return {
    /** `onProgress` must be passed through Comlink.proxy; `runId` tags the run's snapshots. */
    load: (json: unknown, csv?: CsvChoice, runId?: number, onProgress?: ProgressCallback) => session.load(json, csv, runId, onProgress),
    start: () => session.start(),
    pause: () => session.pause(),
    step: (n: number) => session.step(n),
    reset: () => session.reset(),
    /** The loaded run's weights as a safetensors file (transferred), or null before a load. */
    exportWeights: () => {
      const bytes = session.exportWeights();
      return bytes ? Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]) : null;
    },
    /** The loaded run as a PyTorch project (zip) or an ONNX file (transferred), or null before a load. */
    exportModel: (kind: 'pytorch' | 'onnx', name: string) => {
      const bytes = session.exportModel(kind, name);
      return bytes ? Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]) : null;
    },
    /** Starts the loaded run afresh from a safetensors file's weights, or refuses with every reason. */
    importWeights: (bytes: Uint8Array) => session.importWeights(bytes),
    /** Checked against the model format's live settings: anything else is refused with the reason. */
    setTrainingSettings: (patch: unknown) => session.setTrainingSettings(patch),
    evaluate: () => session.evaluate(),
    watch: (edgeId: string | null, nodeId: string | null) => session.watch(edgeId, nodeId),
    unitMaps: (on: boolean) => session.unitMaps(on),
    attention: (nodeId: string, sample: number) => session.attention(nodeId, sample),
    cnn: (nodeId: string, sample: number) => session.cnn(nodeId, sample),
    sampleText: (options: SampleTextOptions) => session.sampleText(options),
    predictGrid: (resolution?: number) => {
      const grid = session.predictGrid(resolution);
      return grid ? Comlink.transfer(grid, gridBuffers(grid)) : null;
    },
    state: () => ({ state: session.currentState, step: session.currentStep }),
    /** Heartbeat: answers at once unless the worker is stuck. */
    ping: () => 'pong' as const,
    /**
     * Streams snapshots to `callback` (pass it through Comlink.proxy). Arrays are transferred.
     * The worker waits for the page to take a snapshot before sending an unforced one.
     */
    subscribe: (callback: SnapshotCallback): number => {
      const id = nextId++;
      const stop = session.subscribe((s) => callback(Comlink.transfer(s, snapshotBuffers(s))));
      subscriptions.set(id, { stop, callback });
      return id;
    },
    unsubscribe: (id: number): void => {
      const sub = subscriptions.get(id);
      if (!sub) return;
      sub.stop();
      subscriptions.delete(id);
      (sub.callback as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
    },
    dispose: () => session.dispose(),
  };
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;
