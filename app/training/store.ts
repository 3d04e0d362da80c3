/**
 * The training store: the app's one long-lived TrainingClient (a comlink proxy to the worker),
 * what the worker loaded, and the latest snapshot. Components read slices through selectors —
 * an edge subscribes to its own numbers, so a snapshot re-renders edges, not nodes.
 *
 * Train loads the graph into the worker when it changed since the last load (a new graph starts
 * from fresh weights); a change of learning rate, batch size, optimizer or regularization is sent
 * live. If the worker dies, the client restarts it and the graph is loaded into the new one.
 */
import { create } from 'zustand';
import { EDGE_STAT, EDGE_STATS, NODE_STAT, NODE_STATS, type EdgeStatName, type NodeStatName } from '../../engine/compiler/plan';
import type { TrainingSettings } from '../../engine/model/schema';
import { TrainingClient, type WorkerLike } from '../../worker/client';
import type { LoadFailure, LoadInfo, Snapshot } from '../../worker/protocol';
import type { SampleTextOptions } from '../../worker/sequence';
import { toModelDefinition, type GraphDocument } from '../graph/document';
import { csvForLoad, useCsvUpload } from '../state/csv';
import { graphStore } from '../state/graph';
import { RunHistory } from './history';

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
  /** A message about the worker itself (it crashed and was restarted). */
  workerNotice: string | null;
  restarts: number;
  /** The run's history so far (mutable; `historyVersion` changes when it grows). */
  history: RunHistory;
  historyVersion: number;
}

export const useTraining = create<TrainingState>()(() => ({
  status: 'idle',
  info: null,
  snapshot: null,
  edgeIndex: new Map(),
  nodeIndex: new Map(),
  loadErrors: [],
  workerNotice: null,
  restarts: 0,
  history: new RunHistory(),
  historyVersion: 0,
}));

/** The settings the worker takes live; any other change means a new load. */
const LIVE_SETTINGS = ['optimizer', 'learningRate', 'batchSize', 'epochs', 'l2', 'clipNorm', 'momentum'] as const;

/** What a load depends on: the graph and the data. Positions and live settings are left out. */
export function structureKey(doc: GraphDocument): string {
  const { training } = doc;
  return JSON.stringify([
    doc.nodes.map((n) => [n.id, n.type, n.params, n.label ?? null]),
    doc.edges.map((e) => [e.id, e.source, e.target, e.targetSlot]),
    [training.dataset, training.datasetOptions ?? null, training.testFraction, training.seed],
  ]);
}

/** What the worker's data depends on: the structure, and the uploaded CSV while it is the dataset. */
function loadKey(doc: GraphDocument): string {
  const csv = csvForLoad(doc.training.dataset);
  return csv ? `${structureKey(doc)}|${csv.key}` : structureKey(doc);
}

function liveSettings(doc: GraphDocument): Partial<TrainingSettings> {
  const out: Record<string, unknown> = {};
  for (const key of LIVE_SETTINGS) out[key] = doc.training[key];
  return out as Partial<TrainingSettings>;
}

let client: TrainingClient | null = null;
/** The edge and node the inspector shows; the worker sends their histograms. */
let watched: { edgeId: string | null; nodeId: string | null } = { edgeId: null, nodeId: null };
let currentWorker: Worker | null = null;
let loadedKey: string | null = null;
let sentSettings = '';
/** Serializes commands, so a Step pressed during a load waits for it. */
let queue: Promise<unknown> = Promise.resolve();

function createWorker(): WorkerLike {
  const worker = new Worker(new URL('../../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'gradflow-training' });
  currentWorker = worker;
  return worker;
}

/** The one client, created on first use. */
function getClient(): TrainingClient {
  if (client) return client;
  client = new TrainingClient({
    create: createWorker,
    heartbeatMs: 1000,
    timeoutMs: 4000,
    onRestart: (reason) => {
      loadedKey = null;
      useTraining.setState((s) => ({
        status: 'idle',
        snapshot: null,
        restarts: s.restarts + 1,
        workerNotice: `The training worker ${reason} and was restarted. Your graph is safe; press Train to go on.`,
      }));
      // Give the new worker the graph at once, so the next Train starts without a wait.
      void enqueue(() => ensureLoaded(graphStore.getState().doc)).catch(() => {});
    },
  });
  client.subscribe(onSnapshot);
  return client;
}

function onSnapshot(snapshot: Snapshot): void {
  const status: TrainingStatus = snapshot.state === 'empty' ? 'idle' : snapshot.state;
  const { history, historyVersion } = useTraining.getState();
  const grew = history.push(snapshot);
  useTraining.setState({ snapshot, status, ...(grew || snapshot.evaluation ? { historyVersion: historyVersion + 1 } : {}) });
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
    useTraining.setState({ status: 'loading', loadErrors: [] });
    const model = toModelDefinition(doc);
    const csv = csvForLoad(doc.training.dataset)?.choice;
    // Start the history before the load: its first snapshot (step 0, the untrained evaluation) arrives before load() returns.
    useTraining.getState().history.reset([]);
    const result = await c.call((api) => api.load(model, csv));
    if (!result.ok) {
      loadedKey = null;
      useTraining.setState({ status: 'idle', info: null, snapshot: null, loadErrors: result.errors });
      return false;
    }
    loadedKey = key;
    sentSettings = JSON.stringify(liveSettings(doc));
    if (watched.edgeId || watched.nodeId) await c.call((api) => api.watch(watched.edgeId, watched.nodeId));
    useTraining.getState().history.setEdges(result.edgeIds, result.edgeTimeSteps);
    useTraining.setState((s) => ({ historyVersion: s.historyVersion + 1 }));
    useTraining.setState({
      info: result,
      loadErrors: [],
      edgeIndex: new Map(result.edgeIds.map((id, i) => [id, i])),
      nodeIndex: new Map(result.nodeIds.map((id, i) => [id, i])),
    });
    return true;
  }
  const settings = JSON.stringify(liveSettings(doc));
  if (settings !== sentSettings) {
    sentSettings = settings;
    await c.call((api) => api.setTrainingSettings(liveSettings(doc)));
  }
  return true;
}

/** Runs a command; a worker that died on the way is reported by the restart notice, not thrown. */
function command(task: (c: TrainingClient) => Promise<unknown>): Promise<void> {
  return enqueue(async () => {
    try {
      await task(getClient());
    } catch (e) {
      useTraining.setState({ workerNotice: e instanceof Error ? e.message : String(e) });
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

export const training = {
  /** Loads the current graph if needed and trains until paused. */
  train: () =>
    command(async (c) => {
      useTraining.setState({ workerNotice: null });
      if (await ensureLoaded(graphStore.getState().doc)) await c.call((api) => api.start());
    }),
  pause: () => command((c) => c.call((api) => api.pause())),
  /** One optimizer step (loading first if needed), then paused. */
  step: (n = 1) =>
    command(async (c) => {
      if (await ensureLoaded(graphStore.getState().doc)) await c.call((api) => api.step(n));
    }),
  /** Fresh weights from the seed; the run starts over. */
  reset: () =>
    command(async (c) => {
      if (loadedKey === null) return;
      await c.call((api) => api.reset());
    }),
  /** Sends changed live settings while training. */
  syncSettings: () =>
    command(async () => {
      if (loadedKey !== null && loadKey(graphStore.getState().doc) === loadedKey) await ensureLoaded(graphStore.getState().doc);
    }),
  /** Asks for histograms of this edge and node in every snapshot (null for none). */
  watch: (edgeId: string | null, nodeId: string | null) => {
    if (watched.edgeId === edgeId && watched.nodeId === nodeId) return Promise.resolve();
    watched = { edgeId, nodeId };
    return command(async (c) => {
      if (loadedKey !== null) await c.call((api) => api.watch(edgeId, nodeId));
    });
  },
  /** The attention weights of an Attention node on a test sample, for the loaded run (an error when there is none). */
  attention: (nodeId: string, sample: number) => query((c) => c.call((api) => api.attention(nodeId, sample))),
  /** Characters from a character model, generated in the worker from a prompt. */
  sampleText: (options: SampleTextOptions) => query((c) => c.call((api) => api.sampleText(options))),
  /** Test hook: ends the worker without a word, as a crash or a hang would. */
  killWorkerForTesting: () => currentWorker?.terminate(),
};

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

/**
 * Keeps the worker in step with edits: a changed graph pauses a run (Train then starts the new
 * graph from fresh weights); a changed live setting is sent at once. Returns the unsubscribe.
 */
export function connectTrainingToGraph(): () => void {
  const unsubscribeGraph = graphStore.subscribe((state, previous) => {
    const doc = state.doc;
    const before = previous.doc;
    if (doc === before || loadedKey === null) return;
    if (doc.edges === before.edges && doc.training === before.training && sameNodes(doc, before)) return;
    if (loadKey(doc) !== loadedKey) {
      pauseForNewData('The graph changed, so training paused. Press Train to start the new graph from fresh weights.');
      return;
    }
    void training.syncSettings();
  });
  // An uploaded CSV is not in the document: a new file, label column or task is new data too.
  const unsubscribeCsv = useCsvUpload.subscribe(() => {
    if (loadedKey !== null && loadKey(graphStore.getState().doc) !== loadedKey) {
      pauseForNewData('The CSV changed, so training paused. Press Train to start on it from fresh weights.');
    }
  });
  return () => {
    unsubscribeGraph();
    unsubscribeCsv();
  };
}

function pauseForNewData(notice: string): void {
  if (useTraining.getState().status !== 'training') return;
  void training.pause();
  useTraining.setState({ workerNotice: notice });
}

function sameNodes(a: GraphDocument, b: GraphDocument): boolean {
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i]!;
    return n === m || (n.id === m.id && n.type === m.type && n.params === m.params && n.label === m.label);
  });
}
