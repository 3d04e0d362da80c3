import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { capRuns, CHOSEN_KEY, createRunsStore, MAX_CHOSEN, MAX_RUNS, nextRunNumber, type RunsChannel } from './store';
import type { RunRecord } from './record';

const run = (id: string, createdAt: number, pinned = false): RunRecord =>
  ({
    version: 1,
    id,
    name: `Run ${createdAt}`,
    pinned,
    createdAt,
    updatedAt: createdAt,
    end: 'stopped',
    model: { format: 'gradflow.model', version: 1, nodes: [], edges: [] },
    dataset: 'spiral',
    metric: 'accuracy',
    layers: 0,
    steps: 10,
    loss: { steps: [1], values: [1] },
    evaluations: [],
    gradients: { steps: [1], edges: [] },
  }) as unknown as RunRecord;


describe('the runs store', () => {
  it('caps the runs by dropping the oldest unpinned first', () => {
    const runs = Array.from({ length: 6 }, (_, i) => run(`r${i}`, i, i === 0));
    const { kept, dropped } = capRuns(runs, 4);
    expect(kept.map((r) => r.id)).toEqual(['r5', 'r4', 'r3', 'r0']);
    expect(dropped.map((r) => r.id)).toEqual(['r1', 'r2']);
    // All pinned: nothing is dropped.
    expect(capRuns([run('a', 1, true), run('b', 2, true)], 1).dropped).toEqual([]);
  });

  it('numbers new runs after the highest so far', () => {
    expect(nextRunNumber([])).toBe(1);
    expect(nextRunNumber([{ name: 'Run 3 · ReLU' }, { name: 'mine' }, { name: 'Run 12' }])).toBe(13);
  });

  it('keeps runs in IndexedDB across sessions: renamed, pinned, deleted, capped', async () => {
    const indexedDB = new IDBFactory();
    const a = createRunsStore({ indexedDB });
    await a.load();
    for (let i = 0; i < MAX_RUNS + 2; i++) a.keep(run(`r${i}`, i + 1, i === 0));
    a.rename('r1', '  Sigmoid baseline  ');
    expect(a.rename('r2', '   ')).toBe(false);
    a.setPinned('r3', true);
    a.delete('r4');
    await a.settled();

    const b = createRunsStore({ indexedDB });
    await b.load();
    const ids = b.store.getState().runs.map((r) => r.id);
    // r0 is pinned, r1 and r2 the oldest unpinned (dropped), r4 deleted.
    expect(ids).toHaveLength(MAX_RUNS - 1);
    expect(ids).toContain('r0');
    expect(ids).not.toContain('r1');
    expect(ids).not.toContain('r4');
    expect(b.find('r3')?.pinned).toBe(true);
    expect(ids[0]).toBe(`r${MAX_RUNS + 1}`);
  });

  it('a run kept before the stored ones were read stays, a damaged entry is skipped, and session-only runs are not written', async () => {
    const indexedDB = new IDBFactory();
    const a = createRunsStore({ indexedDB });
    a.keep(run('old', 1));
    a.keep({ ...run('junk', 2), loss: 'not a curve' } as unknown as RunRecord);
    a.keep(run('live', 3), false);
    a.keep({ ...run('cut off', 4), end: 'training' });
    await a.settled();
    const b = createRunsStore({ indexedDB });
    b.keep(run('new', 9));
    await b.load();
    expect(b.store.getState().runs.map((r) => r.id)).toEqual(['new', 'cut off', 'old']);
    // A run written while it trained, read after a reload, trains no more.
    expect(b.find('cut off')?.end).toBe('stopped');
  });

  it('a run numbered before the stored ones were read takes the next free number, so no two runs share one', async () => {
    const indexedDB = new IDBFactory();
    const earlier = createRunsStore({ indexedDB });
    earlier.keep({ ...run('a', 1), name: 'Run 1 · ReLU · SGD 0.1' });
    earlier.keep({ ...run('b', 2), name: 'Run 2 · Sigmoid · SGD 0.1' });
    await earlier.settled();
    // The next visit keeps a run, and shows a live one, before its read answers: both counted from 1.
    const next = createRunsStore({ indexedDB });
    next.keep({ ...run('c', 3), name: 'Run 1 · Tanh · Adam 0.01' });
    next.keep({ ...run('live', 4), name: 'Run 2 · ReLU · Adam 0.01' }, false);
    next.keep({ ...run('named', 5), name: 'My baseline' });
    await next.load();
    await next.settled();
    expect(next.store.getState().runs.map((r) => r.name)).toEqual(['My baseline', 'Run 4 · ReLU · Adam 0.01', 'Run 3 · Tanh · Adam 0.01', 'Run 2 · Sigmoid · SGD 0.1', 'Run 1 · ReLU · SGD 0.1']);
    // The renamed run is stored under its new name; the live one is still not written.
    const third = createRunsStore({ indexedDB });
    await third.load();
    expect(third.find('c')?.name).toBe('Run 3 · Tanh · Adam 0.01');
    expect(third.find('live')).toBeUndefined();
  });

  it('another open tab lists a run as soon as it is written, follows its renames and pins, and drops it when deleted there', async () => {
    const indexedDB = new IDBFactory();
    const name = `runs-test-${Math.random()}`;
    const channels: BroadcastChannel[] = [];
    const open = () => {
      const channel = new BroadcastChannel(name);
      channels.push(channel);
      return createRunsStore({ indexedDB, channel: channel as unknown as RunsChannel });
    };
    const a = open();
    const b = open();
    try {
      await a.load();
      await b.load();
      const names = () => b.store.getState().runs.map((r) => `${r.name}${r.pinned ? ' (pinned)' : ''}`);
      a.keep({ ...run('x', 1), name: 'Run 1 · ReLU · SGD 0.1' });
      await expect.poll(names).toEqual(['Run 1 · ReLU · SGD 0.1']);
      // Listed, not charted: the charts are this tab's choice.
      expect(b.store.getState().chosen).toEqual([]);
      a.rename('x', 'Baseline');
      a.setPinned('x', true);
      await expect.poll(names).toEqual(['Baseline (pinned)']);
      // A session-only run (one still training, shown live) is not told of.
      a.keep(run('live', 2), false);
      a.keep(run('y', 3));
      await expect.poll(() => b.store.getState().runs.map((r) => r.id)).toEqual(['y', 'x']);
      a.delete('x');
      await expect.poll(() => b.store.getState().runs.map((r) => r.id)).toEqual(['y']);
      // A run deleted in one tab is not kept again by the other (it may still be training there), until the first tab's Undo.
      const y = b.find('y')!;
      b.delete('y');
      await expect.poll(() => a.store.getState().runs.map((r) => r.id)).toEqual(['live']);
      a.keep({ ...run('y', 3), steps: 99 });
      expect(a.find('y')).toBeUndefined();
      b.restore(y);
      await expect.poll(() => a.store.getState().runs.map((r) => r.id)).toEqual(['y', 'live']);
      // And the other way round.
      b.keep(run('z', 4));
      await expect.poll(() => a.store.getState().runs.map((r) => r.id)).toEqual(['z', 'y', 'live']);
      expect(b.store.getState().runs.map((r) => r.id)).toEqual(['z', 'y']);
    } finally {
      for (const c of channels) c.close();
    }
  });

  it('charts at most MAX_CHOSEN runs, and forgets a deleted run’s place on them', async () => {
    const s = createRunsStore({ indexedDB: undefined });
    expect(s.store.getState().storageProblem).toMatch(/IndexedDB is unavailable/);
    // New runs are charted at once.
    for (let i = 0; i < MAX_CHOSEN + 2; i++) s.keep(run(`r${i}`, i));
    expect(s.store.getState().chosen).toHaveLength(MAX_CHOSEN);
    expect(s.store.getState().chosen[0]).toBe('r2');
    s.toggleChosen('r5');
    s.delete('r6');
    // An update of a kept run does not put it back on the charts.
    s.keep({ ...run('r5', 5), steps: 99 });
    expect(s.store.getState().chosen).not.toContain('r5');
    expect(s.store.getState().chosen).not.toContain('r6');
    await s.load();
    expect(s.store.getState().loaded).toBe(true);
  });

  it('says why runs will not outlive the tab when the storage fails, and keeps them in the session', async () => {
    const broken = { open: () => { throw Object.assign(new Error('denied'), { name: 'SecurityError' }); } } as unknown as IDBFactory;
    const s = createRunsStore({ indexedDB: broken });
    s.keep(run('a', 1));
    await s.settled();
    expect(s.store.getState().storageProblem).toMatch(/unavailable.*SecurityError/);
    expect(s.store.getState().runs.map((r) => r.id)).toEqual(['a']);
  });

  it('remembers the runs chosen for the charts across sessions, among the runs still kept', async () => {
    const indexedDB = new IDBFactory();
    const saved = new Map<string, string>();
    const choiceStorage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const a = createRunsStore({ indexedDB, choiceStorage });
    await a.load();
    for (let i = 0; i < 4; i++) a.keep(run(`r${i}`, i + 1));
    a.toggleChosen('r0');
    a.toggleChosen('r2');
    a.delete('r3');
    await a.settled();
    saved.set(CHOSEN_KEY, JSON.stringify(['r1', 'gone', 'r3']));
    const b = createRunsStore({ indexedDB, choiceStorage });
    // A run kept before the stored ones are read does not write over the remembered choice.
    b.keep(run('early', 9));
    await b.load();
    expect(b.store.getState().chosen).toEqual(['r1', 'early']);
    expect(b.store.getState().choiceSaved).toBe(true);
    saved.set(CHOSEN_KEY, 'not json');
    const c = createRunsStore({ indexedDB, choiceStorage });
    await c.load();
    expect(c.store.getState().chosen).toEqual([]);
    expect(c.store.getState().choiceSaved).toBe(false);
    // An empty choice, saved, is a choice.
    saved.set(CHOSEN_KEY, '[]');
    expect(createRunsStore({ indexedDB, choiceStorage }).store.getState().choiceSaved).toBe(true);
  });

  it('does not keep again a run deleted in this session (the run still loaded ends later), until Undo brings it back', async () => {
    const indexedDB = new IDBFactory();
    const s = createRunsStore({ indexedDB });
    await s.load();
    const r = { ...run('live', 1), name: 'mine' };
    s.keep(r);
    s.delete('live');
    s.keep({ ...r, steps: 50 }, false);
    s.keep({ ...r, steps: 60 });
    expect(s.find('live')).toBeUndefined();
    s.restore(r);
    expect(s.find('live')).toMatchObject({ name: 'mine', steps: 10 });
    expect(s.store.getState().chosen).toContain('live');
    await s.settled();
    const again = createRunsStore({ indexedDB });
    await again.load();
    expect(again.find('live')?.name).toBe('mine');
  });

  it('a live run shown in the session drops no stored run; when every kept run is pinned, a new one is not kept and the store says why', async () => {
    const s = createRunsStore({ indexedDB: new IDBFactory() });
    await s.load();
    for (let i = 0; i < MAX_RUNS; i++) s.keep(run(`p${i}`, i + 1, true));
    s.keep(run('live', 100), false);
    expect(s.store.getState().runs).toHaveLength(MAX_RUNS + 1);
    expect(s.store.getState().capNotice).toBeNull();
    s.keep(run('live', 100));
    expect(s.find('live')).toBeUndefined();
    expect(s.store.getState().runs).toHaveLength(MAX_RUNS);
    expect(s.store.getState().capNotice).toMatch(/^All 24 kept runs are pinned, so “Run 100” was not kept\./);
    s.setPinned('p0', false);
    s.keep(run('next', 101));
    expect(s.find('next')).toBeDefined();
    expect(s.find('p0')).toBeUndefined();
    expect(s.store.getState().capNotice).toBeNull();
  });
});
