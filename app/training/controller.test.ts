import { afterEach, describe, expect, it } from 'vitest';
import { loadExample } from '../../engine/testing/files';
import { fakeWorker } from '../../worker/testing';
import { TrainingSession } from '../../worker/session';
import { readDatasetFile } from '../../engine/testing/files';
import { fromModelDefinition } from '../graph/document';
import { createGraphStore } from '../graph/store';
import { createTrainingController, edgeStat, nodeStat, type RunAtEnd, type TrainingController, type TrainingState } from './controller';

let controller: TrainingController | undefined;
let disconnect: (() => void) | undefined;
afterEach(() => {
  disconnect?.();
  controller?.dispose();
});

/** A controller over a session behind comlink on a MessageChannel, and the graph it follows. */
function setup(file = 'spiral-mlp.json', heartbeat = { heartbeatMs: 60_000, timeoutMs: 120_000 }, prepare?: (session: TrainingSession) => void) {
  const graph = createGraphStore(fromModelDefinition(loadExample(file)));
  const sessions: TrainingSession[] = [];
  const loads: unknown[] = [];
  const settingCalls: unknown[] = [];
  /** Each run as it ended: its key, how, and its last step then. */
  const ended: { key: string; end: RunAtEnd['end']; step: number; learningRate: number; evaluatedAt: number | undefined }[] = [];
  const c = createTrainingController({
    onRunEnded: (run) =>
      ended.push({ key: run.key, end: run.end, step: run.history.steps.at(-1) ?? 0, learningRate: run.doc.training.learningRate, evaluatedAt: run.history.evaluations.at(-1)?.step }),
    graph,
    csv: { forLoad: () => null, subscribe: () => () => {} },
    createWorker: () => {
      const session = new TrainingSession({ readFile: readDatasetFile });
      const load = session.load.bind(session);
      session.load = (...args) => (loads.push(args[0]), load(...args));
      const set = session.setTrainingSettings.bind(session);
      session.setTrainingSettings = (patch) => (settingCalls.push(patch), set(patch));
      sessions.push(session);
      prepare?.(session);
      return fakeWorker(session);
    },
    ...heartbeat,
  });
  controller = c;
  disconnect = c.connect();
  return { c, graph, sessions, loads, settingCalls, ended, state: (): TrainingState => c.store.getState() };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 100_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Generous limits: these train real models, and must pass on a machine loaded by other work.
describe('the training controller', { timeout: 120_000 }, () => {
  it('a changed dataset clears every view of the old run at once, and late snapshots of it are not shown', async () => {
    const { c, graph, state } = setup();
    await c.train();
    await until(() => (state().snapshot?.step ?? 0) > 20 && state().history.evaluations.length > 1, 'training');
    const edge = graph.getState().doc.edges[0]!.id;
    const dense = graph.getState().doc.nodes.find((n) => n.type === 'dense')!.id;
    expect(edgeStat(state(), edge, 'gradRms')).toBeGreaterThan(0);
    expect(nodeStat(state(), dense, 'weightNorm')).toBeGreaterThan(0);

    graph.getState().setTraining({ dataset: 'gaussian' });
    // At once, before the worker has even paused.
    expect(state().snapshot).toBeNull();
    expect(state().info).toBeNull();
    expect(state().status).toBe('idle');
    expect(edgeStat(state(), edge, 'gradRms')).toBeUndefined();
    expect(nodeStat(state(), dense, 'weightNorm')).toBeUndefined();
    expect(state().history.evaluations).toEqual([]);
    expect(state().history.trainLoss).toEqual([]);
    expect(state().workerNotice).toMatch(/changed/);
    // The old run's last snapshot (its pause) arrives after this: it must not bring anything back.
    await c.pause();
    expect(state().snapshot).toBeNull();
    expect(state().history.steps).toEqual([]);

    await c.train();
    await until(() => (state().snapshot?.step ?? 0) > 0, 'the new run');
    expect(state().info!.dataset.id).toBe('gaussian');
    await c.pause();
  });

  it('opening another model (a node edited or replaced) clears the node stats and edge colors of the old run', async () => {
    const { c, graph, state } = setup();
    await c.step(3);
    const dense = graph.getState().doc.nodes.find((n) => n.type === 'dense')!;
    expect(nodeStat(state(), dense.id, 'weightNorm')).toBeGreaterThan(0);
    expect(graph.getState().setParam(dense.id, 'units', 8)).toBeNull();
    expect(nodeStat(state(), dense.id, 'weightNorm')).toBeUndefined();
    await c.step(1);
    graph.getState().replaceDocument(fromModelDefinition(loadExample('iris.json')));
    expect(state().snapshot).toBeNull();
    expect(state().edgeIndex.size).toBe(0);
  });

  it('an edit while the model loads makes that run stale: it does not start, and shows nothing', async () => {
    const { c, graph, state } = setup('char-lstm.json');
    const training = c.train();
    await until(() => state().status === 'loading', 'the load');
    graph.getState().setTraining({ seed: 5 });
    await training;
    expect(state().status).toBe('idle');
    expect(state().snapshot).toBeNull();
    expect(state().info).toBeNull();
  });

  it('a learning-rate change during a run is sent live: no reload, the same run goes on, and the change is recorded', async () => {
    const { c, graph, state, loads, settingCalls } = setup();
    await c.step(5);
    graph.getState().setTraining({ learningRate: 0.002 });
    await c.step(2);
    expect(loads).toHaveLength(1);
    expect(settingCalls).toContainEqual(expect.objectContaining({ learningRate: 0.002 }));
    expect(state().snapshot!.step).toBe(7);
    expect(state().history.settingChanges).toEqual([{ step: 5, settings: { learningRate: 0.002 } }]);
    // The seed changes what a run is: a new load from fresh weights.
    graph.getState().setTraining({ seed: 9 });
    await c.step(1);
    expect(loads).toHaveLength(2);
    expect(state().snapshot!.step).toBe(1);
  });

  it('Step clicks queue up: five quick clicks are five steps, even while the model loads', async () => {
    const { c, state } = setup('char-lstm.json');
    const clicks = Array.from({ length: 5 }, () => c.step(1));
    expect(state().queuedSteps).toBe(5);
    await Promise.all(clicks);
    expect(state().snapshot!.step).toBe(5);
    expect(state().queuedSteps).toBe(0);
  });

  it('a load reports its progress; a worker that dies is not reloaded by itself, and Train loads again', async () => {
    const { c, state, loads } = setup('spiral-mlp.json', { heartbeatMs: 100, timeoutMs: 2000 });
    const seen: string[] = [];
    const unsubscribe = c.store.subscribe((s) => s.loadProgress && seen.push(s.loadProgress.phase));
    await c.step(1);
    unsubscribe();
    expect(new Set(seen)).toEqual(new Set(['dataset', 'model', 'evaluate']));
    c.killWorkerForTesting();
    // The heartbeat finds the silent worker; the pending Step is rejected and reported, not lost in a hang.
    await c.step(1);
    await until(() => state().restarts > 0, 'the restart');
    expect(state().workerNotice).toMatch(/restarted/);
    const before = loads.length;
    expect(state().snapshot).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(loads.length).toBe(before);
  });

  it('Train after divergence starts over from fresh weights with the current settings', async () => {
    const { c, graph, state } = setup();
    // Regression on the sine with plain SGD at rate 10: the weights overflow within a few steps.
    const last = graph.getState().doc.nodes.filter((n) => n.type === 'dense').at(-1)!;
    expect(graph.getState().setParam(last.id, 'units', 1)).toBeNull();
    graph.getState().setTraining({ dataset: 'sine', optimizer: 'sgd', learningRate: 10 });
    await c.train();
    await until(() => state().status === 'diverged', 'divergence');
    graph.getState().setTraining({ learningRate: 0.01 });
    await c.train();
    await until(() => state().status === 'training' && (state().snapshot?.step ?? 0) > 3, 'a new run');
    expect(state().snapshot!.divergence).toBeUndefined();
    await c.pause();
  });

  it('tells of each run as it ends: paused twice is one run, a reset starts another, a graph change ends it', async () => {
    const { c, graph, state, ended } = setup();
    await c.train();
    await until(() => (state().snapshot?.step ?? 0) > 5, 'training');
    expect(c.currentRun()?.end).toBe('training');
    await c.pause();
    await until(() => ended.length === 1, 'the first pause');
    expect(ended[0]).toMatchObject({ end: 'stopped' });
    expect(ended[0]!.step).toBeGreaterThan(5);
    graph.getState().setTraining({ learningRate: 0.003 });
    await c.train();
    await until(() => (state().snapshot?.step ?? 0) > ended[0]!.step + 5, 'going on');
    await c.pause();
    await until(() => ended.length === 2, 'the second pause');
    // The same run, with the learning rate it was given live.
    expect(ended[1]!.key).toBe(ended[0]!.key);
    expect(ended[1]!.learningRate).toBe(0.003);
    await c.reset();
    await until(() => ended.length === 3, 'the reset');
    expect(ended[2]!.key).toBe(ended[0]!.key);
    await c.step(3);
    await until(() => (state().snapshot?.step ?? 0) === 3, 'steps after the reset');
    const dense = graph.getState().doc.nodes.find((n) => n.type === 'dense')!;
    expect(graph.getState().setParam(dense.id, 'units', 7)).toBeNull();
    await until(() => ended.length === 4, 'the graph change');
    expect(ended[3]).toMatchObject({ end: 'stopped', step: 3 });
    expect(ended[3]!.key).not.toBe(ended[0]!.key);
    expect(c.currentRun()).toBeNull();
  });

  it('a run that ended on a snapshot sent during its last evaluation is recorded again with that evaluation', async () => {
    // A watch asked for while the run's final evaluation is under way sends a snapshot that says
    // 'done' before the evaluation is in: the run's record must not stop there.
    const { c, graph, state, ended } = setup('spiral-mlp.json', undefined, (session) => {
      const internals = session as unknown as { advanceJob(): boolean };
      const advance = internals.advanceJob.bind(session);
      let watched = false;
      internals.advanceJob = () => {
        if (session.currentState === 'done' && !watched) {
          watched = true;
          void session.watch(graph.getState().doc.edges[0]!.id, null);
        }
        return advance();
      };
    });
    graph.getState().setTraining({ epochs: 3, stopAtEpochs: true });
    await c.train();
    await until(() => state().status === 'done', 'the run’s end');
    await until(() => ended.length === 2, 'the record after the last evaluation');
    const final = state().history.evaluations.at(-1)!.step;
    expect(final).toBe(state().snapshot!.step);
    expect(ended[0]!.evaluatedAt).toBeLessThan(final);
    expect(ended[1]).toMatchObject({ key: ended[0]!.key, end: 'done', evaluatedAt: final });
  });
});