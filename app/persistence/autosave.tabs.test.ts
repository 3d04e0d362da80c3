import { IDBFactory } from 'fake-indexeddb';
import { get, set } from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphDocument } from '../graph/document';
import { AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME, createAutosave, CSV_KEY, CURRENT_KEY, OVERTAKEN_KEY_PREFIX, type Autosave, type Overtaken, type SavedCsv, type SavedState } from './autosave';
import type { CsvData } from '../state/csvReading';
import { keyvalStore } from './idb-store';
import { writeModelText } from './model-text';
import { spiralDocument } from './test-fixtures';

/** The spiral with a Tanh added (what tab A does). */
const withTanh = (): GraphDocument => {
  const base = spiralDocument();
  return { ...base, nodes: [...base.nodes, { id: 'tanh_extra', type: 'tanh', params: {}, position: { x: 900, y: 300 } }] };
};
/** The spiral with its first Dense at 48 units (what tab B does). */
const withUnits = (doc: GraphDocument = spiralDocument()): GraphDocument => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.id === doc.nodes.find((m) => m.type === 'dense')!.id ? { ...n, params: { ...n.params, units: 48 } } : n)),
});

const opened: Autosave[] = [];
let channelCount = 0;
afterEach(() => {
  for (const autosave of opened.splice(0)) autosave.dispose();
  vi.useRealTimers();
});

/** Two or more tabs of the app on one browser profile: one IndexedDB, one BroadcastChannel name. */
function browser({ broadcast = true } = {}) {
  const factory = new IDBFactory();
  const channelName = `gradflow-test-${++channelCount}`;
  const raw = keyvalStore(factory, AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME);
  const tab = (tabId: string, debounceMs = 400) => {
    const told: Overtaken[] = [];
    let wake: (() => void) | null = null;
    const autosave = createAutosave({
      indexedDB: factory,
      tabId,
      debounceMs,
      channel: broadcast ? new BroadcastChannel(channelName) : null,
      onOvertaken: (o) => {
        told.push(o);
        wake?.();
      },
    });
    opened.push(autosave);
    /** Resolves at the next time this tab is told of another tab's save. */
    const nextTold = () => new Promise<Overtaken>((resolve) => (wake = () => resolve(told.at(-1)!)));
    return { autosave, told, nextTold };
  };
  return { tab, read: (key: string = CURRENT_KEY) => get<unknown>(key, raw), plant: (value: unknown) => set(CURRENT_KEY, value, raw) };
}

const savedDoc = async (autosave: Autosave) => {
  const restored = await autosave.restore();
  if (restored.kind !== 'restored') throw new Error(`expected a saved document, got ${restored.kind}`);
  return restored.doc;
};

/** Tabs A and B of one browser, both read; A has saved the spiral with a Tanh. */
async function afterASaved(options?: { broadcast: boolean }) {
  const { tab, read } = browser(options);
  const a = tab('tab-a');
  const b = tab('tab-b');
  await a.autosave.restore();
  await b.autosave.restore();
  a.autosave.schedule(withTanh());
  await a.autosave.flush();
  return { tab, read, a, b };
}

describe('autosave in two tabs', () => {
  it('tab B is told when tab A saves, and its own edit does not overwrite A’s save: it waits, and nothing is lost', async () => {
    const { tab, read } = browser();
    const a = tab('tab-a');
    const b = tab('tab-b');
    await a.autosave.restore();
    await b.autosave.restore();

    const bHears = b.nextTold();
    a.autosave.schedule(withTanh());
    expect(await a.autosave.flush()).toEqual({ ok: true });
    // B had nothing unsaved when A saved.
    expect(await bHears).toEqual({ savedAt: expect.any(Number), unsaved: false });

    b.autosave.schedule(withUnits());
    expect(await b.autosave.flush()).toEqual({ ok: false, overtaken: true, reason: expect.stringMatching(/another tab saved a different version/) });
    expect(b.told.at(-1)).toEqual({ savedAt: expect.any(Number), unsaved: true });
    // A's save is what a reload gets; B's version waits under its own key.
    expect(((await read()) as SavedState).model).toBe(writeModelText(withTanh()));
    expect(((await read(`${OVERTAKEN_KEY_PREFIX}tab-b`)) as SavedState).model).toBe(writeModelText(withUnits()));
    expect(a.told).toEqual([]);
  });

  it('B loads A’s save, edits it and saves: both changes are kept, and A is told in turn', async () => {
    const { tab, read, a, b } = await afterASaved();
    b.autosave.schedule(withUnits());
    await b.autosave.flush();

    const latest = await b.autosave.loadLatest();
    expect(latest).toMatchObject({ kind: 'restored', doc: withTanh() });
    expect(await read(`${OVERTAKEN_KEY_PREFIX}tab-b`)).toBeUndefined();
    const aHears = a.nextTold();
    b.autosave.schedule(withUnits(withTanh()));
    expect(await b.autosave.flush()).toEqual({ ok: true });
    expect(await aHears).toEqual({ savedAt: expect.any(Number), unsaved: false });
    expect(await savedDoc(tab('reload').autosave)).toEqual(withUnits(withTanh()));
    expect(((await read()) as SavedState).revision).toBe(2);
  });

  it('an edit still waiting for its pause when another tab saves: told at once that it is unsaved', async () => {
    const { tab } = browser();
    const a = tab('tab-a');
    const b = tab('tab-b', 60_000);
    await a.autosave.restore();
    await b.autosave.restore();
    b.autosave.schedule(withUnits());
    const bHears = b.nextTold();
    a.autosave.schedule(withTanh());
    await a.autosave.flush();
    expect(await bHears).toEqual({ savedAt: expect.any(Number), unsaved: true });
    expect(await b.autosave.flush()).toMatchObject({ ok: false, overtaken: true });
  });

  it('without a broadcast channel the revision alone refuses the overwrite', async () => {
    const { read, b } = await afterASaved({ broadcast: false });
    b.autosave.schedule(withUnits());
    expect(await b.autosave.flush()).toMatchObject({ ok: false, overtaken: true });
    expect(b.told).toEqual([{ savedAt: expect.any(Number), unsaved: true }]);
    expect(((await read()) as SavedState).model).toBe(writeModelText(withTanh()));
  });

  it('a tab that saves the very version another tab saved is not told of anything', async () => {
    const { tab, b } = await afterASaved();
    b.autosave.schedule(withTanh());
    expect(await b.autosave.flush()).toEqual({ ok: true });
    // And B, standing on A's save now, writes its next edit over it.
    b.autosave.schedule(withUnits(withTanh()));
    expect(await b.autosave.flush()).toEqual({ ok: true });
    expect(await savedDoc(tab('reload').autosave)).toEqual(withUnits(withTanh()));
  });

  it('a tab keeps saving over its own saves, and over a save from before revisions', async () => {
    const { tab, plant } = browser();
    await plant({ model: writeModelText(spiralDocument()), savedAt: 1 }); // no revision, no tab
    const a = tab('tab-a');
    expect(await savedDoc(a.autosave)).toEqual(spiralDocument());
    for (const doc of [withTanh(), withUnits(withTanh()), spiralDocument()]) {
      a.autosave.schedule(doc);
      expect(await a.autosave.flush()).toEqual({ ok: true });
    }
    expect(a.told).toEqual([]);
  });
});

const csvOf = (name: string, rows: string): CsvData => ({ kind: 'csv', name, labelColumn: 'y', task: 'binary', text: `x,y\n${rows}` });
const plants = csvOf('plants.csv', '1,0\n2,1\n');
const stars = csvOf('stars.csv', '5,1\n6,0\n');

describe('a CSV kept in one tab is a save the other tabs see', () => {
  it('keeping a CSV writes the next revision and tells the other tab; that tab cannot keep its own CSV over it, and nothing is lost', async () => {
    const { tab, read, a, b } = await afterASaved();
    await b.autosave.loadLatest();

    const bHears = b.nextTold();
    expect(await a.autosave.saveCsv(plants)).toEqual({ ok: true });
    // The same graph, a new revision that names the CSV: B has not seen it.
    const saved = (await read()) as SavedState;
    expect(saved).toMatchObject({ model: writeModelText(withTanh()), revision: 2, csv: expect.stringMatching(/^tab-a-/) });
    expect(((await read(CSV_KEY)) as SavedCsv).id).toBe(saved.csv);
    expect(await bHears).toEqual({ savedAt: expect.any(Number), unsaved: false });

    // B's own CSV is refused: A's stays, B's waits under B's key.
    expect(await b.autosave.saveCsv(stars)).toMatchObject({ ok: false, overtaken: true, reason: expect.stringMatching(/this CSV was not kept over it/) });
    expect(((await read(CSV_KEY)) as SavedCsv).data).toEqual(plants);
    expect(((await read(`${OVERTAKEN_KEY_PREFIX}tab-b-csv`)) as SavedCsv).data).toEqual(stars);
    // And so is B's graph, even the very graph A saved: it stands on a revision without A's CSV.
    b.autosave.schedule(withTanh());
    expect(await b.autosave.flush()).toMatchObject({ ok: false, overtaken: true });

    // A reload gets A's graph with A's CSV.
    const reload = tab('reload').autosave;
    expect(await savedDoc(reload)).toEqual(withTanh());
    expect(await reload.restoreCsv()).toMatchObject({ kind: 'restored', data: plants });
  });

  it('a tab that took the other tab’s save keeps its CSV with its next edits, and keeps a new CSV of its own over it', async () => {
    const { read, a, b } = await afterASaved();
    await a.autosave.saveCsv(plants);
    const csvId = ((await read()) as SavedState).csv;

    expect(await b.autosave.loadLatest()).toMatchObject({ kind: 'restored', doc: withTanh() });
    b.autosave.schedule(withUnits(withTanh()));
    expect(await b.autosave.flush()).toEqual({ ok: true });
    // B's edit names the CSV it stands on.
    expect(((await read()) as SavedState).csv).toBe(csvId);
    const aHears = a.nextTold();
    expect(await b.autosave.saveCsv(stars)).toEqual({ ok: true });
    expect(await aHears).toEqual({ savedAt: expect.any(Number), unsaved: false });
    expect(((await read(CSV_KEY)) as SavedCsv).data).toEqual(stars);
    expect(((await read()) as SavedState)).toMatchObject({ model: writeModelText(withUnits(withTanh())), csv: expect.stringMatching(/^tab-b-/) });
    // Forgetting the CSV is a save too, and the record names none then.
    expect(await b.autosave.saveCsv(null)).toEqual({ ok: true });
    expect(await read(CSV_KEY)).toBeUndefined();
    expect((await read()) as SavedState).not.toHaveProperty('csv');
  });

  it('keeping the CSV the tab already stands on, then saving the same graph, tells no one', async () => {
    const { tab } = browser();
    const a = tab('tab-a');
    await a.autosave.restore();
    expect(await a.autosave.saveCsv(plants)).toEqual({ ok: true }); // no document saved yet: the CSV alone
    a.autosave.schedule(withTanh());
    expect(await a.autosave.flush()).toEqual({ ok: true });
    a.autosave.schedule(withTanh());
    expect(await a.autosave.flush()).toEqual({ ok: true });
    expect(a.told).toEqual([]);
  });
});
