import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { loadExample } from '../engine/testing/files';
import { EVAL_BUDGET, EVAL_MIN_INTERVAL_MS, EPOCH_EVAL_AFTER_MS, EvaluationSchedule } from './evaluation';
import type { LoadProgress, Snapshot } from './protocol';
import { remoteSession } from './testing';

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('EvaluationSchedule', () => {
  it('evaluates at the start, then within the budget: by training time, by the run’s share of steps, and at epoch ends', () => {
    const s = new EvaluationSchedule();
    expect(s.due(0, 0, null)).toBe(true);
    s.evaluated(0, 0, 2);
    // 2 ms of evaluation needs 50 ms of training to be within a 4% budget.
    s.addTraining(49);
    expect(s.due(10, 0, null)).toBe(false);
    s.addTraining(EVAL_MIN_INTERVAL_MS);
    expect(s.due(30, 0, null)).toBe(true);
    s.evaluated(30, 0, 0.5);
    // A run planned at 400 steps wants a point every 10 steps, when the budget allows.
    s.addTraining(10);
    expect(s.due(39, 0, 400)).toBe(false);
    expect(s.due(40, 0, 400)).toBe(true);
    expect(s.due(40, 1, null)).toBe(true);
  });

  it('over the budget, only an epoch that trained for a while is evaluated', () => {
    const s = new EvaluationSchedule();
    s.evaluated(0, 0, 5);
    s.addTraining(10);
    // The untrained model's evaluation (at load) slowed no training: it is not charged.
    expect(s.cost).toBe(0);
    s.evaluated(1, 0, 500);
    s.addTraining(200);
    expect(s.cost).toBeGreaterThan(EVAL_BUDGET);
    expect(s.due(15, 1, 100)).toBe(false);
    s.addTraining(EPOCH_EVAL_AFTER_MS);
    expect(s.due(30, 1, 100)).toBe(true);
    expect(s.due(31, 0, 100)).toBe(false);
  });
});

describe('evaluations in a session', () => {
  it('a spiral run gets a test curve of many points at under 5% of the training time, each point sent once', async () => {
    // The session's clock advances 10 µs each time the session reads it, so the time it charges to
    // training and to evaluation follows the work each does (a read per step, a read per evaluated
    // batch) and not what else the machine runs: a busy machine's preemptions would otherwise land
    // in an evaluation now and then, and the budget would rightly cut the curve short.
    let clock = 0;
    const r = remoteSession(() => (clock += 0.01));
    close = r.close;
    const snapshots: Snapshot[] = [];
    await r.api.subscribe(Comlink.proxy((s: Snapshot) => void snapshots.push(s)));
    expect((await r.api.load(loadExample('spiral-mlp.json'))).ok).toBe(true);
    await r.api.start();
    // 200 epochs of 15 steps: a few seconds here, far longer on a loaded machine; the test waits on the step count.
    while ((snapshots.at(-1)?.step ?? 0) < 3000) await new Promise((res) => setTimeout(res, 20));
    await r.api.pause();
    const points = snapshots.flatMap((s) => s.evaluations ?? []);
    const steps = points.map((p) => p.step);
    console.log(`spiral, ${snapshots.at(-1)!.step} steps: ${points.length} evaluations, ${(r.session.evaluationCost * 100).toFixed(1)}% of the training time`);
    expect(points.length).toBeGreaterThanOrEqual(20);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // The pause's own evaluation is of the weights it stopped at.
    expect(steps.at(-1)).toBe(snapshots.at(-1)!.step);
    expect(r.session.evaluationCost).toBeLessThan(0.05);
  });

  it('a large load reports its phases, answers pings while it works, and evaluates the untrained model in pieces', async () => {
    const r = remoteSession();
    close = r.close;
    const progress: LoadProgress[] = [];
    const loading = r.api.load(loadExample('char-lstm.json'), undefined, 7, Comlink.proxy((p: LoadProgress) => void progress.push(p)));
    let loaded = false;
    void loading.then(() => (loaded = true));
    // The heartbeat's question: answered while the load is still going.
    await r.api.ping();
    expect(loaded).toBe(false);
    const info = await loading;
    expect(info.ok).toBe(true);
    expect(loaded).toBe(true);
    expect(progress.map((p) => p.phase).filter((p, i, all) => all.indexOf(p) === i)).toEqual(['dataset', 'model', 'evaluate']);
    const fractions = progress.filter((p) => p.phase === 'evaluate').map((p) => p.fraction!);
    expect(fractions.length).toBeGreaterThan(3);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });
});
