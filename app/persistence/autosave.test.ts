import { IDBDatabase, IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { get, set } from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument } from '../graph/document';
import { AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME, createAutosave, CURRENT_KEY, type AutosaveOptions, type SavedState } from './autosave';
import { keyvalStore } from './idb-store';
import { writeModelText } from './model-text';
import { richDocument, spiralDocument } from './test-fixtures';

/** A fresh in-memory IndexedDB, an autosave on it, and direct access to its store. */
function setup(options: AutosaveOptions = {}) {
  const factory = new IDBFactory();
  let clock = 1_700_000_000_000;
  const autosave = createAutosave({ indexedDB: factory, now: () => clock, ...options });
  const raw = keyvalStore(factory, AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME);
  return {
    factory,
    autosave,
    raw,
    setClock: (t: number) => (clock = t),
    read: (key: string = CURRENT_KEY) => get<unknown>(key, raw),
    plant: (value: unknown, key: string = CURRENT_KEY) => set(key, value, raw),
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('autosave: saving and restoring', () => {
  it('restores nothing from an empty database', async () => {
    const { autosave } = setup();
    expect(await autosave.restore()).toEqual({ kind: 'empty' });
  });

  it.each([
    ['the spiral example', spiralDocument],
    ['a document using every field', richDocument],
    ['an empty document', emptyDocument],
  ])('restores %s exactly, with its view settings and save time', async (_, make) => {
    const { autosave, setClock } = setup();
    const doc = make();
    setClock(1234);
    autosave.schedule(doc, { edgeShape: 'bezier', zoom: 0.75 });
    expect(await autosave.flush()).toEqual({ ok: true });
    // A new session on the same database (a reload).
    const result = await autosave.restore();
    expect(result).toStrictEqual({ kind: 'restored', doc, savedAt: 1234, ui: { edgeShape: 'bezier', zoom: 0.75 }, warnings: [] });
  });

  it('stores the model file text, so a saved document reads like an exported file', async () => {
    const { autosave, read } = setup();
    autosave.schedule(richDocument());
    await autosave.flush();
    const stored = (await read()) as SavedState;
    expect(stored.model).toBe(writeModelText(richDocument()));
    expect(stored).not.toHaveProperty('ui');
  });

  it('keeps only the last of several saves, in order', async () => {
    const { autosave } = setup();
    autosave.schedule(spiralDocument());
    const first = autosave.flush();
    autosave.schedule(richDocument());
    const second = autosave.flush();
    expect(await Promise.all([first, second])).toEqual([{ ok: true }, { ok: true }]);
    const result = await autosave.restore();
    expect(result.kind === 'restored' && result.doc).toStrictEqual(richDocument());
  });

  it('passes on the warnings of an upgraded model', async () => {
    const { autosave, plant } = setup();
    const v0 = { format: 'gradflow.model', version: 0, lr: 0.05, nodes: [{ id: 'a', type: 'input' }, { id: 'b', type: 'output' }], edges: [{ id: 'e', from: 'a', to: 'b' }] };
    await plant({ model: JSON.stringify(v0), savedAt: 5 });
    const result = await autosave.restore();
    expect(result.kind).toBe('restored');
    if (result.kind !== 'restored') return;
    expect(result.doc.training.learningRate).toBe(0.05);
    expect(result.doc.edges).toEqual([{ id: 'e', source: 'a', target: 'b', targetSlot: 0 }]);
    expect(result.warnings).toEqual([expect.stringMatching(/format version 0; it was upgraded to version 1/)]);
  });

  it('restores the document but resets unreadable view settings, with a warning', async () => {
    const { autosave, plant } = setup();
    await plant({ model: writeModelText(spiralDocument()), savedAt: 5, ui: ['not', 'an', 'object'] });
    const result = await autosave.restore();
    expect(result).toStrictEqual({ kind: 'restored', doc: spiralDocument(), savedAt: 5, warnings: ['the saved view settings could not be read and were reset'] });
  });
});

describe('autosave: a version that would not load again is not saved', () => {
  /** The spiral with a Dense of Infinity units: JSON writes it as null, which the loader refuses. */
  const unloadable = () => ({ ...spiralDocument(), nodes: spiralDocument().nodes.map((n, i) => (i === 1 ? { ...n, params: { units: Number.POSITIVE_INFINITY } } : n)) });

  it('keeps the last save that loads, and says why', async () => {
    const onError = vi.fn();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { autosave, read } = setup({ onError });
    autosave.schedule(richDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    const good = await read();

    autosave.schedule(unloadable());
    const refused = 'this version was not saved, because it would not load again: nodes[1].params.units: must be a number, a string, true or false, or a list of numbers, got null; the last saved version is kept';
    expect(await autosave.flush()).toEqual({ ok: false, reason: refused });
    autosave.schedule(unloadable());
    await vi.advanceTimersByTimeAsync(400);
    await autosave.flush();
    expect(onError).toHaveBeenCalledExactlyOnceWith(refused);
    expect(await read()).toEqual(good);
    expect(await autosave.restore()).toMatchObject({ kind: 'restored', doc: richDocument() });
  });

  it('a graph holding layers named after built-ins, placed past the canvas edge, saves and restores', async () => {
    const { autosave } = setup();
    const base = spiralDocument();
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
    const doc = { ...base, nodes: [...base.nodes, ...names.map((id, i) => ({ id, type: 'tanh', params: {}, position: { x: i === 0 ? 1e308 : i * 10, y: 0 } }))] };
    autosave.schedule(doc);
    expect(await autosave.flush()).toEqual({ ok: true });
    const restored = await autosave.restore();
    expect(restored.kind).toBe('restored');
    if (restored.kind !== 'restored') return;
    expect(restored.doc.nodes.map((n) => [n.id, n.position])).toEqual([...base.nodes.map((n) => [n.id, n.position]), ...names.map((id, i) => [id, { x: i === 0 ? 1_000_000 : i * 10, y: 0 }])]);
  });
});

describe('autosave: debouncing', () => {
  it('writes once, debounceMs after the last of a burst of edits, with the last document', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const { autosave, read } = setup({ debounceMs: 400 });
    const docs = [spiralDocument(), richDocument(), { ...spiralDocument(), name: 'last' }];
    for (const doc of docs) {
      autosave.schedule(doc);
      await vi.advanceTimersByTimeAsync(399);
    }
    expect(put).not.toHaveBeenCalled();
    expect(await read()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(await autosave.flush()).toEqual({ ok: true }); // waits for the write the timer started
    expect(put).toHaveBeenCalledTimes(1);
    expect(((await read()) as SavedState).model).toBe(writeModelText(docs[2]!));
  });

  it('flush writes a scheduled save at once, and the timer then writes nothing more', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const { autosave, read } = setup();
    autosave.schedule(richDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    expect(((await read()) as SavedState).model).toBe(writeModelText(richDocument()));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(put).toHaveBeenCalledTimes(1);
    expect(await autosave.flush()).toEqual({ ok: true }); // nothing pending
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('clear forgets the saved document and a save still waiting for its timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { autosave, read } = setup();
    autosave.schedule(spiralDocument());
    await autosave.flush();
    autosave.schedule(richDocument());
    expect(await autosave.clear()).toEqual({ ok: true });
    await vi.advanceTimersByTimeAsync(10_000);
    await autosave.flush();
    expect(await read()).toBeUndefined();
    expect(await autosave.restore()).toEqual({ kind: 'empty' });
  });
});

describe('autosave: an unreadable saved value is set aside, never deleted', () => {
  const badModel = writeModelText(spiralDocument()).replace('"type": "relu"', '"type": ""');
  it.each<[string, unknown, RegExp]>([
    ['model text that is not JSON', { model: '{"format": "gradflow.model",\n  "nodes": [', savedAt: 1 }, /^the saved model is not valid: not valid JSON at line 2, column 13: the text ends too early/],
    ['a model failing the schema', { model: badModel, savedAt: 1 }, /^the saved model is not valid: nodes\[2\]\.type: must not be empty$/],
    ['a model from a newer Gradflow', { model: '{"format": "gradflow.model", "version": 99, "nodes": [], "edges": []}', savedAt: 1 }, /version 99/],
    ['a value that is not a record', 'just text', /^the saved work is not an autosave record with model text \(got 'just text'\)$/],
    ['a record without model text', { doc: {}, savedAt: 1 }, /not an autosave record/],
    ['a record without a save time', { model: writeModelText(spiralDocument()) }, /^the saved work has no valid savedAt time \(got nothing\)$/],
  ])('%s', async (_, value, reason) => {
    const { autosave, plant, read, setClock } = setup();
    await plant(value);
    setClock(1_800_000_000_000);
    const result = await autosave.restore();
    expect(result).toEqual({ kind: 'corrupt', reason: expect.stringMatching(reason), setAsideKey: 'corrupt-1800000000000' });
    expect(await read('corrupt-1800000000000')).toEqual(value);
    expect(await read()).toBeUndefined();
    expect(await autosave.restore()).toEqual({ kind: 'empty' });
  });

  it('a second bad value set aside at the same moment gets a key of its own', async () => {
    const { autosave, plant, read } = setup();
    await plant({ model: 'first', savedAt: 1 });
    const first = await autosave.restore();
    await plant({ model: 'second', savedAt: 2 });
    const second = await autosave.restore();
    expect(first).toMatchObject({ kind: 'corrupt', setAsideKey: 'corrupt-1700000000000' });
    expect(second).toMatchObject({ kind: 'corrupt', setAsideKey: 'corrupt-1700000000000-2' });
    expect(await read('corrupt-1700000000000')).toEqual({ model: 'first', savedAt: 1 });
    expect(await read('corrupt-1700000000000-2')).toEqual({ model: 'second', savedAt: 2 });
  });

  it('clear leaves set-aside values alone', async () => {
    const { autosave, plant, read } = setup();
    await plant({ model: 'broken', savedAt: 1 });
    await autosave.restore();
    await autosave.clear();
    expect(await read('corrupt-1700000000000')).toEqual({ model: 'broken', savedAt: 1 });
  });
});

describe('autosave: failures of the browser storage come back as values', () => {
  it('without IndexedDB, every operation reports it and nothing throws', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(typeof indexedDB).toBe('undefined'); // Node: no global IndexedDB
    const onError = vi.fn();
    const autosave = createAutosave({ onError });
    expect(await autosave.restore()).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/^could not read the saved work: this browser offers no IndexedDB/) });
    autosave.schedule(spiralDocument());
    await vi.advanceTimersByTimeAsync(400);
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.stringMatching(/^could not save: this browser offers no IndexedDB/));
    autosave.schedule(spiralDocument());
    expect(await autosave.flush()).toEqual({ ok: false, reason: expect.stringMatching(/^could not save/) });
    expect(await autosave.clear()).toEqual({ ok: false, reason: expect.stringMatching(/^could not clear/) });
  });

  it('a refused database open is reported, and the next call tries again', async () => {
    const real = new IDBFactory();
    let refuse = true;
    const factory = {
      open: (name: string) => {
        if (refuse) throw new DOMException('The operation is insecure.', 'SecurityError');
        return real.open(name);
      },
    } as unknown as IDBFactory;
    const autosave = createAutosave({ indexedDB: factory });
    expect(await autosave.restore()).toEqual({
      kind: 'unavailable',
      reason: 'could not read the saved work: the browser storage is unavailable (SecurityError: The operation is insecure.)',
    });
    refuse = false;
    expect(await autosave.restore()).toEqual({ kind: 'empty' });
    autosave.schedule(richDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    expect(await autosave.restore()).toMatchObject({ kind: 'restored', doc: richDocument() });
  });

  it('a connection the browser closed unannounced is reopened once', async () => {
    const { autosave, factory } = setup();
    const open = vi.spyOn(factory, 'open');
    autosave.schedule(spiralDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementationOnce(() => {
      throw new DOMException('The database connection is closing.', 'InvalidStateError');
    });
    expect(await autosave.restore()).toMatchObject({ kind: 'restored', doc: spiralDocument() });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('gives way to another tab upgrading the database, then reconnects', async () => {
    const { autosave, factory } = setup();
    autosave.schedule(spiralDocument());
    await autosave.flush();
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(AUTOSAVE_DB_NAME, 2);
      request.onblocked = () => reject(new Error('blocked: the autosave connection did not close'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    upgraded.close();
    expect(await autosave.restore()).toMatchObject({ kind: 'restored', doc: spiralDocument() });
  });

  it('a database that never answers fails after the open timeout', async () => {
    const silent = { open: () => ({}) } as unknown as IDBFactory; // a request whose events never fire
    const autosave = createAutosave({ indexedDB: silent, openTimeoutMs: 20 });
    expect(await autosave.restore()).toEqual({ kind: 'unavailable', reason: 'could not read the saved work: the browser storage did not answer within 0.02 s' });
  });

  it('a full quota is reported by flush and by onError, and later saves still work', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const quota = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const onError = vi.fn();
    const { autosave, read } = setup({ onError });
    const full = 'could not save: the browser storage is full (QuotaExceededError: The quota has been exceeded.)';
    autosave.schedule(spiralDocument());
    expect(await autosave.flush()).toEqual({ ok: false, reason: full });
    autosave.schedule(spiralDocument());
    await vi.advanceTimersByTimeAsync(400);
    await autosave.flush();
    expect(onError).toHaveBeenCalledExactlyOnceWith(full);

    quota.mockRestore();
    autosave.schedule(richDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    expect(((await read()) as SavedState).model).toBe(writeModelText(richDocument()));
  });

  it('view settings that cannot be stored fail the save with a reason', async () => {
    const { autosave, read } = setup();
    autosave.schedule(spiralDocument(), { callback: () => 1 });
    expect(await autosave.flush()).toEqual({ ok: false, reason: expect.stringMatching(/^could not save: the value cannot be stored \(DataCloneError/) });
    expect(await read()).toBeUndefined();
  });
});

describe('autosave: a database without the autosave store is repaired', () => {
  /** Creates `gradflow` at `version` with only `stores` (none: as a damaged or hand-made database would be). */
  const createDatabase = (factory: IDBFactory, version: number, stores: string[]) =>
    new Promise<void>((resolve, reject) => {
      const request = factory.open(AUTOSAVE_DB_NAME, version);
      request.onupgradeneeded = () => stores.forEach((name) => request.result.createObjectStore(name));
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
  const storesOf = (factory: IDBFactory) =>
    new Promise<{ version: number; stores: string[] }>((resolve, reject) => {
      const request = factory.open(AUTOSAVE_DB_NAME);
      request.onsuccess = () => {
        const db = request.result;
        resolve({ version: db.version, stores: [...db.objectStoreNames] });
        db.close();
      };
      request.onerror = () => reject(request.error);
    });

  it('a database with no stores is upgraded one version, gets the store, and saves and restores', async () => {
    const factory = new IDBFactory();
    await createDatabase(factory, 1, []);
    const onError = vi.fn();
    const autosave = createAutosave({ indexedDB: factory, onError });
    expect(await autosave.restore()).toEqual({ kind: 'empty' });
    autosave.schedule(richDocument());
    expect(await autosave.flush()).toEqual({ ok: true });
    expect(await autosave.restore()).toMatchObject({ kind: 'restored', doc: richDocument() });
    expect(onError).not.toHaveBeenCalled();
    expect(await storesOf(factory)).toEqual({ version: 2, stores: [AUTOSAVE_STORE_NAME] });
  });

  it('other stores in the database are kept, and a second session does not upgrade again', async () => {
    const factory = new IDBFactory();
    await createDatabase(factory, 3, ['notes']);
    const first = createAutosave({ indexedDB: factory });
    first.schedule(spiralDocument());
    expect(await first.flush()).toEqual({ ok: true });
    const second = createAutosave({ indexedDB: factory });
    expect(await second.restore()).toMatchObject({ kind: 'restored', doc: spiralDocument() });
    expect(await storesOf(factory)).toEqual({ version: 4, stores: [AUTOSAVE_STORE_NAME, 'notes'] });
  });
});
