/**
 * The training controller: one long-lived TrainingClient (a comlink proxy to the worker), what the
 * worker has loaded, and the state every training view reads. Headless — it takes the graph, the
 * uploaded CSV and a worker factory — so tests drive it with a worker over a MessageChannel.
 *
 * The views tell the truth about the current run: anything that changes what a run means (the
 * graph's structure, the dataset, the CSV) clears every view of the old run at once, and a
 * snapshot of an older run (tagged with its run id) is never shown. Live settings (marked in the
 * model schema) are sent to the running worker instead. Commands run one after another, so Step
 * clicks queue up and none is lost.
 */
import * as Comlink from 'comlink';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EDGE_STAT, EDGE_STATS, NODE_STAT, NODE_STATS, type EdgeStatName, type NodeStatName } from '../../engine/compiler/plan';
import { LIVE_TRAINING_SETTINGS, type TrainingSettings } from '../../engine/model/schema';
import { TrainingClient, type WorkerLike } from '../../worker/client';
import type { LoadFailure, LoadInfo, LoadProgress, Snapshot } from '../../worker/protocol';
import type { CsvChoice } from '../../worker/session';
import type { SampleTextOptions } from '../../worker/sequence';
import { toModelDefinition, type GraphDocument } from '../graph/document';
import { RunHistory } from './history';

/** A run at its end (or now, while it trains): what the runs store keeps of it (app/runs). */
export interface RunAtEnd {
  /** Stable for the run: the same run paused twice is one run; a reset starts another. */
  key: string;
  /** The graph it trains, with its live settings as last sent. */
  doc: GraphDocument;
  history: RunHistory;
  lossKind: string;
  end: 'done' | 'diverged' | 'stopped' | 'training';
}

export type TrainingStatus = 'idle' | 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'diverged';

export interface TrainingState {
  status: TrainingStatus;
  info: LoadInfo | null;
  snapshot: Snapshot | null;
  /** Position of each edge / node in the snapshot's packed arrays. */
  edgeIndex: ReadonlyMap<string, number>;
  nodeIndex: ReadonlyMap<string, number>;
  /** Why the last load failed, per problem. */
  loadErrors: LoadFailure['errors'];
  /** What a load in progress is doing. */
  loadProgress: LoadProgress | null;
  /** A message about the run or the worker (it paused for an edit, it crashed and was restarted). */
  workerNotice: string | null;
  restarts: number;
  /** Step clicks waiting for their turn. */
  queuedSteps: number;
  /** The run's history so far (mutable; `historyVersion` changes when it grows). */
  history: RunHistory;
  historyVersion: number;
}

/** The graph as the controller sees it: a document and its changes. */
export interface GraphSource {
  getState(): { doc: GraphDocument };
  subscribe(listener: (state: { doc: GraphDocument }, previous: { doc: GraphDocument }) => void): () => void;
}

/** The user's uploaded CSV, when the document's dataset is it. */
export interface CsvSource {
  forLoad(datasetId: string): { key: string; choice: CsvChoice } | null;
  subscribe(listener: () => void): () => void;
}

export interface TrainingControllerOptions {
  graph: GraphSource;
  csv: CsvSource;
  createWorker: () => WorkerLike;
  heartbeatMs?: number;
  timeoutMs?: number;
  /** Told of each run as it ends: it finished or diverged, was paused or reset, or its graph changed (called before its views are cleared). */
  onRunEnded?: (run: RunAtEnd) => void;
}

/** What a load depends on: the graph, the data, and every training setting that is not live. Positions and live settings are left out. */
export function structureKey(doc: GraphDocument): string {
  const live = new Set<string>(LIVE_TRAINING_SETTINGS);
  const training = Object.entries(doc.training).filter(([key]) => !live.has(key));
  return JSON.stringify([
    doc.nodes.map((n) => [n.id, n.type, n.params, n.label ?? null]),
    doc.edges.map((e) => [e.id, e.source, e.target, e.targetSlot]),
    training.sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);
}

export function liveSettings(doc: GraphDocument): Partial<TrainingSettings> {
  const out: Record<string, unknown> = {};
  for (const key of LIVE_TRAINING_SETTINGS) if (doc.training[key] !== undefined) out[key] = doc.training[key];
  return out as Partial<TrainingSettings>;
}

/** The state of every view of a run when there is none. */
function noRun(): Pick<TrainingState, 'status' | 'info' | 'snapshot' | 'edgeIndex' | 'nodeIndex' | 'loadErrors' | 'loadProgress'> {
  return { status: 'idle', info: null, snapshot: null, edgeIndex: new Map(), nodeIndex: new Map(), loadErrors: [], loadProgress: null };
}

function initialState(): TrainingState {
  return {
    ...noRun(),
    workerNotice: null,
    restarts: 0,
    queuedSteps: 0,
    history: new RunHistory(),
    historyVersion: 0,
  };
}

export type TrainingController = ReturnType<typeof createTrainingController>;

export function createTrainingController(options: TrainingControllerOptions) {
  const store: StoreApi<TrainingState> = createStore<TrainingState>()(initialState);
  const { graph, csv } = options;
  let client: TrainingClient | null = null;
  let worker: WorkerLike | null = null;
  /** The edge and node the inspector shows; the worker sends their histograms. */
  let watched: { edgeId: string | null; nodeId: string | null } = { edgeId: null, nodeId: null };
  let unitMaps = false;
  /** The load key of what the worker has, and of the run the views show; null when neither. */
  let loadedKey: string | null = null;
  /** The load key of a load in progress: an edit during it makes its run stale before it starts. */
  let loadingKey: string | null = null;
  let sentSettings = '';
  /** Snapshots of this run only are shown. */
  let runId = 0;
  /** Serializes commands, so a Step pressed during a load waits for it. */
  let queue: Promise<unknown> = Promise.resolve();
  /** The graph of the loaded run (with the live settings last sent), and which of its resets is running. */
  let runDoc: GraphDocument | null = null;
  let segment = 0;
  /** Unique to this page load, so run keys never repeat across reloads and tabs. */
  const controllerId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  /** The loaded run as it stands, or null when none has taken a step. */
  function runNow(end: RunAtEnd['end']): RunAtEnd | null {
    const { info, history } = store.getState();
    if (!runDoc || !info || (history.steps.length === 0 && history.lossSteps.length === 0)) return null;
    return { key: `${controllerId}-${runId}.${segment}`, doc: runDoc, history, lossKind: info.lossKind, end };
  }
  /** How the loaded run last ended, while it stays ended (a late evaluation then updates its record). */
  let endedAs: RunAtEnd['end'] | null = null;
  const runEnded = (end: RunAtEnd['end']): void => {
    endedAs = end;
    const run = runNow(end);
    if (run) options.onRunEnded?.(run);
  };

  const loadKey = (doc: GraphDocument): string => {
    const data = csv.forLoad(doc.training.dataset);
    return data ? `${structureKey(doc)}|${data.key}` : structureKey(doc);
  };

  function getClient(): TrainingClient {
    if (client) return client;
    client = new TrainingClient({
      create: () => (worker = options.createWorker()),
      heartbeatMs: options.heartbeatMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 4000,
      onRestart: (reason) => {
        // Not reloaded by itself: a model that kills the worker while loading would do it again, and again.
        forgetRun();
        store.setState((s) => ({ restarts: s.restarts + 1, workerNotice: `The training worker ${reason} and was restarted. Your graph is safe; press Train to go on.` }));
      },
    });
    client.subscribe(onSnapshot);
    return client;
  }

  function onSnapshot(snapshot: Snapshot): void {
    if (snapshot.runId !== runId) return;
    const status: TrainingStatus = snapshot.state === 'empty' ? 'idle' : snapshot.state;
    const { history, historyVersion, status: before } = store.getState();
    const last = history.steps.at(-1) ?? history.lossSteps.at(-1);
    // Reset to fresh weights: the run so far has ended, and the history is about to start over.
    if (last !== undefined && snapshot.step < last) {
      runEnded('stopped');
      segment++;
      endedAs = null;
    }
    const grew = history.push(snapshot);
    store.setState({ snapshot, status, ...(grew || snapshot.evaluation ? { historyVersion: historyVersion + 1 } : {}) });
    if (status === 'training') endedAs = null;
    if (status !== before && (status === 'done' || status === 'diverged' || (status === 'paused' && before === 'training'))) runEnded(status === 'paused' ? 'stopped' : status);
    // The run ended on a snapshot sent while its last evaluation was still running (a watch or the
    // unit-maps switch asks for one): the evaluation that follows belongs in its record too.
    else if (endedAs !== null && (snapshot.evaluations?.length ?? 0) > 0) runEnded(endedAs);
  }

  /** Clears every view of the run: nothing of it is shown again (its late snapshots are ignored by run id). */
  function forgetRun(): void {
    if (loadedKey !== null) runEnded('stopped');
    endedAs = null;
    runDoc = null;
    segment = 0;
    loadedKey = null;
    loadingKey = null;
    runId++;
    store.getState().history.reset([]);
    store.setState((s) => ({ ...noRun(), historyVersion: s.historyVersion + 1 }));
  }

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  }

  /** Loads the document unless the worker already has this graph; sends changed live settings. Returns false if the load failed. */
  async function ensureLoaded(doc: GraphDocument): Promise<boolean> {
    const c = getClient();
    const key = loadKey(doc);
    if (key !== loadedKey) {
      forgetRun();
      const id = runId;
      loadingKey = key;
      store.setState({ status: 'loading', loadProgress: { phase: 'dataset', message: 'Starting…' } });
      const onProgress = Comlink.proxy((p: LoadProgress) => {
        if (id === runId) store.setState({ loadProgress: p });
      });
      const result = await c.call((api) => api.load(toModelDefinition(doc), csv.forLoad(doc.training.dataset)?.choice, id, onProgress));
      // Edited while it loaded: the run is already stale (forgetRun moved runId on).
      if (id !== runId) return false;
      loadingKey = null;
      if (!result.ok) {
        store.setState({ status: 'idle', loadProgress: null, loadErrors: result.errors });
        return false;
      }
      loadedKey = key;
      runDoc = doc;
      sentSettings = JSON.stringify(liveSettings(doc));
      if (watched.edgeId || watched.nodeId) await c.call((api) => api.watch(watched.edgeId, watched.nodeId));
      if (unitMaps) await c.call((api) => api.unitMaps(true));
      store.getState().history.setEdges(result.edgeIds, result.edgeTimeSteps);
      store.setState((s) => ({
        info: result,
        loadErrors: [],
        loadProgress: null,
        edgeIndex: new Map(result.edgeIds.map((edgeId, i) => [edgeId, i])),
        nodeIndex: new Map(result.nodeIds.map((nodeId, i) => [nodeId, i])),
        historyVersion: s.historyVersion + 1,
      }));
      return true;
    }
    const settings = JSON.stringify(liveSettings(doc));
    if (settings !== sentSettings) {
      sentSettings = settings;
      const result = await c.call((api) => api.setTrainingSettings(liveSettings(doc)));
      // The run's graph carries the settings it trains with: a refused change is not among them.
      if (result.ok) runDoc = doc;
      if (!result.ok) store.setState({ workerNotice: `Settings not applied: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` });
    }
    return true;
  }

  /** Runs a command; a worker that died on the way is reported by the restart notice, not thrown. */
  function command(task: (c: TrainingClient) => Promise<unknown>): Promise<void> {
    return enqueue(async () => {
      try {
        await task(getClient());
      } catch (e) {
        store.setState({ workerNotice: e instanceof Error ? e.message : String(e) });
      }
    });
  }

  /** A question to the loaded run, in turn with the commands; an error instead when nothing is loaded or the worker failed. */
  function query<T extends object>(task: (c: TrainingClient) => Promise<T | { error: string }>): Promise<T | { error: string }> {
    return enqueue(async () => {
      if (loadedKey === null) return { error: 'Press Train or Step first: no model is loaded in the worker yet.' };
      try {
        return await task(getClient());
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    });
  }

  const train = () =>
    command(async (c) => {
      store.setState({ workerNotice: null });
      if (!(await ensureLoaded(graph.getState().doc))) return;
      // A diverged run cannot go on: Train starts it over from fresh weights with the current settings.
      if (store.getState().status === 'diverged') await c.call((api) => api.reset());
      await c.call((api) => api.start());
    });

  /** Pauses a run in progress because what it means changed, and clears its views. */
  function invalidate(notice: string): void {
    const wasTraining = store.getState().status === 'training';
    forgetRun();
    if (wasTraining) store.setState({ workerNotice: notice });
    void command((c) => c.call((api) => api.pause()));
  }

  const controller = {
    store,
    /** Loads the current graph if needed and trains until paused (a diverged run starts over). */
    train,
    /** Fresh weights from the seed, then training: the run starts over. */
    trainFromScratch: () =>
      command(async (c) => {
        store.setState({ workerNotice: null });
        const fresh = loadKey(graph.getState().doc) !== loadedKey;
        if (!(await ensureLoaded(graph.getState().doc))) return;
        if (!fresh) await c.call((api) => api.reset());
        await c.call((api) => api.start());
      }),
    pause: () => command((c) => c.call((api) => api.pause())),
    /** One optimizer step (loading first if needed), then paused. Clicks queue up: each is one step. */
    step: (n = 1) => {
      store.setState((s) => ({ queuedSteps: s.queuedSteps + 1 }));
      return command(async (c) => {
        try {
          if (await ensureLoaded(graph.getState().doc)) await c.call((api) => api.step(n));
        } finally {
          store.setState((s) => ({ queuedSteps: s.queuedSteps - 1 }));
        }
      });
    },
    /** Fresh weights from the seed; the run starts over (paused). */
    reset: () =>
      command(async (c) => {
        if (loadedKey === null) return;
        await c.call((api) => api.reset());
      }),
    /** The loaded run's weights as a safetensors file; an error when no run of this graph is loaded. */
    exportWeights: () =>
      query<{ bytes: Uint8Array }>(async (c) => {
        const bytes = loadKey(graph.getState().doc) === loadedKey ? await c.call((api) => api.exportWeights()) : null;
        return bytes ? { bytes } : { error: 'Press Train or Step first: this graph has no weights in the worker yet.' };
      }),
    /** The loaded run as a PyTorch project (zip) or an ONNX file; an error when no run of this graph is loaded. */
    exportModel: (kind: 'pytorch' | 'onnx', name: string) =>
      query<{ bytes: Uint8Array }>(async (c) => {
        const bytes = loadKey(graph.getState().doc) === loadedKey ? await c.call((api) => api.exportModel(kind, name)) : null;
        return bytes ? { bytes } : { error: 'Press Train or Step first: this graph has no weights in the worker yet.' };
      }),
    /**
     * Loads the current graph if needed, pauses, and starts its run afresh from a safetensors file's
     * weights; the problems when the file is damaged or for another graph (the run is then unchanged).
     */
    importWeights: (bytes: Uint8Array) =>
      enqueue(async (): Promise<{ ok: true; loaded: number } | { ok: false; problems: string[] }> => {
        try {
          const c = getClient();
          if (!(await ensureLoaded(graph.getState().doc))) return { ok: false, problems: ['the graph cannot be trained as it is (see the problems on it)'] };
          await c.call((api) => api.pause());
          return await c.call((api) => api.importWeights(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer])));
        } catch (e) {
          return { ok: false, problems: [e instanceof Error ? e.message : String(e)] };
        }
      }),
    /** Sends changed live settings to the loaded run. */
    syncSettings: () =>
      command(async () => {
        if (loadedKey !== null && loadKey(graph.getState().doc) === loadedKey) await ensureLoaded(graph.getState().doc);
      }),
    /** Asks for histograms of this edge and node in every snapshot (null for none). */
    watch: (edgeId: string | null, nodeId: string | null) => {
      if (watched.edgeId === edgeId && watched.nodeId === nodeId) return Promise.resolve();
      watched = { edgeId, nodeId };
      return command(async (c) => {
        if (loadedKey !== null) await c.call((api) => api.watch(edgeId, nodeId));
      });
    },
    /** Asks for unit maps with every decision-boundary grid (2D inputs), or stops them. */
    unitMaps: (on: boolean) => {
      if (unitMaps === on) return Promise.resolve();
      unitMaps = on;
      return command(async (c) => {
        if (loadedKey !== null) await c.call((api) => api.unitMaps(on));
      });
    },
    /** The attention weights of an Attention node on a test sample, for the loaded run (an error when there is none). */
    attention: (nodeId: string, sample: number) => query((c) => c.call((api) => api.attention(nodeId, sample))),
    /** A Conv2D node's filters and a test image's feature maps, for the loaded run (an error when there is none). */
    cnn: (nodeId: string, sample: number) => query((c) => c.call((api) => api.cnn(nodeId, sample))),
    /** Characters from a character model, generated in the worker from a prompt. */
    sampleText: (options: SampleTextOptions) => query((c) => c.call((api) => api.sampleText(options))),
    /** The run that trains now as it stands (null before its first step), to show beside the kept ones. */
    currentRun: (): RunAtEnd | null => runNow(store.getState().status === 'training' ? 'training' : 'stopped'),
    /** Test hook: ends the worker without a word, as a crash or a hang would. */
    killWorkerForTesting: () => worker?.terminate(),
    /**
     * Keeps the worker in step with edits: a change of what the run means clears its views at once
     * (and pauses it); a changed live setting is sent. Returns the unsubscribe.
     */
    connect(): () => void {
      const unsubscribeGraph = graph.subscribe((state, previous) => {
        const doc = state.doc;
        const runKey = loadedKey ?? loadingKey;
        if (doc === previous.doc || runKey === null) return;
        // A drag moves positions only: skip the load key (a JSON of the whole graph) on every pointer move.
        if (doc.edges === previous.doc.edges && doc.training === previous.doc.training && sameLayers(doc, previous.doc)) return;
        if (loadKey(doc) !== runKey) {
          invalidate('The graph or its data changed, so the run stopped. Press Train to start the new graph from fresh weights.');
          return;
        }
        if (doc.training !== previous.doc.training) void controller.syncSettings();
      });
      // An uploaded CSV is not in the document: a new file, label column or task is new data too.
      const unsubscribeCsv = csv.subscribe(() => {
        const runKey = loadedKey ?? loadingKey;
        if (runKey !== null && loadKey(graph.getState().doc) !== runKey) invalidate('The CSV changed, so the run stopped. Press Train to start on it from fresh weights.');
      });
      return () => {
        unsubscribeGraph();
        unsubscribeCsv();
      };
    },
    dispose: () => client?.dispose(),
  };
  return controller;
}

/** Whether two documents have the same layers (ids, types, parameters, names), whatever their positions. */
function sameLayers(a: GraphDocument, b: GraphDocument): boolean {
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i]!;
    return n === m || (n.id === m.id && n.type === m.type && n.params === m.params && n.label === m.label);
  });
}

/** One of an edge's numbers in the latest snapshot (undefined before any step). */
export function edgeStat(s: TrainingState, edgeId: string, stat: EdgeStatName): number | undefined {
  const i = s.edgeIndex.get(edgeId);
  if (i === undefined || !s.snapshot || s.snapshot.step === 0) return undefined;
  return s.snapshot.edgeStats[i * EDGE_STATS + EDGE_STAT[stat]];
}

/** One of a node's numbers in the latest snapshot. */
export function nodeStat(s: TrainingState, nodeId: string, stat: NodeStatName): number | undefined {
  const i = s.nodeIndex.get(nodeId);
  if (i === undefined || !s.snapshot) return undefined;
  return s.snapshot.nodeStats[i * NODE_STATS + NODE_STAT[stat]];
}
