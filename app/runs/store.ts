/**
 * The runs kept to compare: in this session (a zustand store the Runs view reads) and in IndexedDB
 * (one entry per run, so a reload or another visit finds them). At most MAX_RUNS are kept; past
 * that, the oldest unpinned go first. A run's record is written when it ends — it finished,
 * diverged, was paused or reset, or its graph changed — and again if it goes on, under the same id.
 *
 * Storage failures (no IndexedDB, a full quota) never lose the session's runs: the store says why
 * they will not outlive the tab (`storageProblem`) and keeps them in memory.
 *
 * Other tabs of the app see a run as soon as it is written: each write and delete is told on a
 * BroadcastChannel, and a tab that hears of it reads that one entry again.
 */
import { del, entries, get, set as idbSet, type UseStore } from 'idb-keyval';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { describeStorageError, globalIndexedDB, keyvalStore } from '../persistence/idb-store';
import { readRecord, type RunRecord } from './record';

export const RUNS_DB_NAME = 'gradflow-runs';
export const RUNS_STORE_NAME = 'runs';
export const MAX_RUNS = 24;
/** Runs chosen for the charts at once (the colors stay apart). */
export const MAX_CHOSEN = 8;

export interface RunsState {
  /** Newest first. */
  runs: RunRecord[];
  /** The runs the charts overlay, in the order chosen. */
  chosen: string[];
  /** Whether the stored runs have been read. */
  loaded: boolean;
  /** Whether an earlier visit saved a choice (then an empty one is the person's, not a default to fill). */
  choiceSaved: boolean;
  /** Why runs will not outlive this tab, when the browser storage fails. */
  storageProblem: string | null;
  /** Why the last run was not kept (every kept run is pinned). */
  capNotice: string | null;
}

export interface RunsStoreOptions {
  /** Default: the global `indexedDB`, if there is one. */
  indexedDB?: IDBFactory;
  /** Where the runs chosen for the charts are remembered (localStorage in the app); none: not remembered. */
  choiceStorage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** Where writes are told to the other tabs (the app's: `openRunsChannel()`); none: not told. */
  channel?: RunsChannel | null;
}

/** The part of a BroadcastChannel the store uses. */
export interface RunsChannel {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export const RUNS_CHANNEL = 'gradflow-runs';

type RunsMessage = { kind: 'kept' | 'deleted'; id: string };

export const CHOSEN_KEY = 'gradflow.runs.chosen';

export type RunsStore = ReturnType<typeof createRunsStore>;

/** Newest first; the oldest unpinned beyond `max` are returned apart, to be deleted. */
export function capRuns(runs: readonly RunRecord[], max = MAX_RUNS): { kept: RunRecord[]; dropped: RunRecord[] } {
  const sorted = [...runs].sort((a, b) => b.createdAt - a.createdAt);
  const dropped: RunRecord[] = [];
  let excess = sorted.length - max;
  for (let i = sorted.length - 1; i >= 0 && excess > 0; i--) {
    if (sorted[i]!.pinned) continue;
    dropped.push(sorted[i]!);
    excess--;
  }
  const gone = new Set(dropped.map((r) => r.id));
  return { kept: sorted.filter((r) => !gone.has(r.id)), dropped };
}

/** The next run's number: one more than the highest "Run N" so far. */
export function nextRunNumber(runs: readonly Pick<RunRecord, 'name'>[]): number {
  let n = 0;
  for (const r of runs) {
    const m = /^Run (\d+)\b/.exec(r.name);
    if (m) n = Math.max(n, Number(m[1]));
  }
  return n + 1;
}

export function createRunsStore(options: RunsStoreOptions = {}) {
  const factory = 'indexedDB' in options ? options.indexedDB : globalIndexedDB();
  const db: UseStore | null = factory ? keyvalStore(factory, RUNS_DB_NAME, RUNS_STORE_NAME) : null;
  const { choiceStorage } = options;
  // The choice of an earlier visit, read before anything can write over it (null: none was saved).
  const savedChoice = readChoice(choiceStorage);
  const store: UseBoundStore<StoreApi<RunsState>> = create<RunsState>()(() => ({
    runs: [],
    chosen: [],
    loaded: false,
    choiceSaved: savedChoice !== null,
    storageProblem: factory ? null : 'this browser has no storage for them (IndexedDB is unavailable)',
    capNotice: null,
  }));
  /** Runs deleted in this session: the run still loaded is not recorded again under its id (Undo brings it back). */
  const deleted = new Set<string>();
  /** Runs kept by this tab (not heard of from another). */
  const keptHere = new Set<string>();
  /** Writes under way, so tests (and a caller that must know) can wait for them. */
  const pending = new Set<Promise<unknown>>();

  const failed = (e: unknown): void => store.setState({ storageProblem: describeStorageError(e) });
  if (choiceStorage) {
    store.subscribe((s, previous) => {
      if (s.chosen === previous.chosen) return;
      try {
        choiceStorage.setItem(CHOSEN_KEY, JSON.stringify(s.chosen));
      } catch {
        // A full or disabled localStorage: the choice is kept for this tab only.
      }
    });
  }
  const track = (p: Promise<unknown>): void => {
    const done = p.catch(failed).finally(() => pending.delete(done));
    pending.add(done);
  };
  /** Ids of the runs written to the storage in this session (a session-only run is not, until kept for good). */
  const written = new Set<string>();
  const channel = db ? (options.channel ?? null) : null;
  const tell = (message: RunsMessage): void => {
    try {
      channel?.postMessage(message);
    } catch {
      // A closed channel: the other tabs see the change on their next load.
    }
  };
  const write = (r: RunRecord): void => {
    written.add(r.id);
    if (db) track(idbSet(r.id, r, db).then(() => tell({ kind: 'kept', id: r.id })));
  };
  const remove = (id: string): void => void (db && track(del(id, db).then(() => tell({ kind: 'deleted', id }))));

  /** Replaces the list and drops chosen ids that are gone; `evict`: capped, deleting what falls off (stored runs only fall off to make room for a stored one). */
  function setRuns(runs: readonly RunRecord[], evict: boolean): void {
    const { kept, dropped } = evict ? capRuns(runs) : { kept: [...runs].sort((a, b) => b.createdAt - a.createdAt), dropped: [] };
    for (const r of dropped) remove(r.id);
    const ids = new Set(kept.map((r) => r.id));
    store.setState((s) => ({ runs: kept, ...(s.chosen.every((id) => ids.has(id)) ? {} : { chosen: s.chosen.filter((id) => ids.has(id)) }) }));
  }

  function update(id: string, patch: Partial<Pick<RunRecord, 'name' | 'pinned'>>): void {
    const run = store.getState().runs.find((r) => r.id === id);
    if (!run) return;
    const next = { ...run, ...patch };
    store.setState((s) => ({ runs: s.runs.map((r) => (r.id === id ? next : r)) }));
    write(next);
  }

  function keep(record: RunRecord, persist: boolean): void {
    keptHere.add(record.id);
    const runs = store.getState().runs;
    const isNew = !runs.some((r) => r.id === record.id);
    setRuns([record, ...runs.filter((r) => r.id !== record.id)], persist);
    const isKept = store.getState().runs.some((r) => r.id === record.id);
    // Every run is pinned and the list is full: the new one cannot be kept, and the view says so.
    store.setState({ capNotice: isKept ? null : `All ${MAX_RUNS} kept runs are pinned, so “${record.name}” was not kept. Unpin or delete a run to keep new ones.` });
    if (!isKept) return;
    // A new run joins the charts (the first chosen makes room past MAX_CHOSEN); untick it to hide it.
    if (isNew) store.setState((s) => ({ chosen: [...s.chosen, record.id].slice(-MAX_CHOSEN) }));
    if (persist) write(record);
  }

  /** Another tab wrote or deleted a run: this tab's list follows (a new one is listed, not charted). */
  async function heard(message: unknown): Promise<void> {
    if (!db || typeof message !== 'object' || message === null) return;
    const { kind, id } = message as Partial<RunsMessage>;
    if (typeof id !== 'string') return;
    if (kind === 'deleted') {
      // Deleted there: not kept again here either (the run may be this tab's, still loaded).
      deleted.add(id);
      store.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id), chosen: s.chosen.filter((c) => c !== id) }));
      return;
    }
    if (kind !== 'kept') return;
    // Written there after a delete: that tab's Undo.
    deleted.delete(id);
    let record: RunRecord | null;
    try {
      record = readRecord(await get<unknown>(id, db));
    } catch {
      return; // this tab's next load reads it
    }
    if (record) setRuns([record, ...store.getState().runs.filter((r) => r.id !== id)], false);
  }
  if (channel) channel.onmessage = (event) => void heard(event.data);

  return {
    store,
    /** Reads the stored runs (once, at start); runs kept before it answered stay. Damaged entries are skipped. */
    async load(): Promise<void> {
      if (!db) return store.setState({ loaded: true });
      try {
        const stored = (await entries(db))
          .map(([, value]) => readRecord(value))
          .filter((r): r is RunRecord => r !== null && !deleted.has(r.id))
          // Written while it trained, in a tab since closed or reloaded: it trains no more.
          .map((r) => (r.end === 'training' ? { ...r, end: 'stopped' as const } : r));
        const here = new Set(store.getState().runs.map((r) => r.id));
        setRuns([...store.getState().runs, ...stored.filter((r) => !here.has(r.id))], true);
        // A run kept before the read was numbered without the stored ones: one whose number an
        // earlier visit's run has takes the next free numbers, so no two runs share one.
        // (The read may hold this session's own early writes already: they are not an earlier visit's.)
        const storedMax = nextRunNumber(stored.filter((r) => !keptHere.has(r.id))) - 1;
        let next = storedMax + 1;
        const early = store.getState().runs.filter((r) => keptHere.has(r.id));
        for (const r of [...early].sort((a, b) => a.createdAt - b.createdAt)) {
          const m = /^Run (\d+)\b/.exec(r.name);
          if (!m || Number(m[1]) > storedMax) continue;
          const renamed = { ...r, name: `Run ${next++}${r.name.slice(m[0].length)}` };
          store.setState((s) => ({ runs: s.runs.map((o) => (o.id === r.id ? renamed : o)) }));
          if (written.has(r.id)) write(renamed);
        }
        // The remembered choice first, then runs charted in this tab before the read.
        const kept = new Set(store.getState().runs.map((r) => r.id));
        const back = (savedChoice ?? []).filter((id) => kept.has(id));
        if (back.length > 0) store.setState((s) => ({ chosen: [...back, ...s.chosen.filter((id) => !back.includes(id))].slice(-MAX_CHOSEN) }));
      } catch (e) {
        failed(e);
      }
      store.setState({ loaded: true });
    },
    /**
     * Adds a run (charted at once), or updates it (same id); `persist: false` keeps it in the session
     * only (a live run shown while it trains). A run deleted in this session is not kept again.
     */
    keep(record: RunRecord, persist = true): void {
      if (!deleted.has(record.id)) keep(record, persist);
    },
    find: (id: string): RunRecord | undefined => store.getState().runs.find((r) => r.id === id),
    /** Renames a run; an empty name is refused (false). */
    rename(id: string, name: string): boolean {
      const trimmed = name.trim();
      if (trimmed === '') return false;
      update(id, { name: trimmed.slice(0, 120) });
      return true;
    },
    setPinned: (id: string, pinned: boolean) => update(id, { pinned }),
    delete(id: string): void {
      deleted.add(id);
      store.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id), chosen: s.chosen.filter((c) => c !== id) }));
      remove(id);
    },
    /** Brings back a run deleted in this session (Undo), as it was. */
    restore(record: RunRecord): void {
      deleted.delete(record.id);
      keep(record, true);
    },
    /** Adds a run to the charts, or takes it off; past MAX_CHOSEN, the first chosen makes room. */
    toggleChosen(id: string): void {
      store.setState((s) => {
        if (s.chosen.includes(id)) return { chosen: s.chosen.filter((c) => c !== id) };
        return { chosen: [...s.chosen, id].slice(-MAX_CHOSEN) };
      });
    },
    setChosen: (ids: readonly string[]) => store.setState({ chosen: ids.slice(-MAX_CHOSEN) }),
    /** Resolves when the writes begun so far have landed (or failed, which `storageProblem` tells). */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** The channel the app's tabs tell each other of runs on, or null where there is none. */
export function openRunsChannel(): RunsChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : (new BroadcastChannel(RUNS_CHANNEL) as unknown as RunsChannel);
  } catch {
    return null; // some sandboxed frames refuse it: other tabs' runs then appear on a reload
  }
}

/** The chosen ids saved by an earlier visit; null when none were saved (or they cannot be read). */
function readChoice(storage: Pick<Storage, 'getItem'> | undefined): string[] | null {
  try {
    const text = storage?.getItem(CHOSEN_KEY);
    if (text === null || text === undefined) return null;
    const saved: unknown = JSON.parse(text);
    return Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string').slice(-MAX_CHOSEN) : null;
  } catch {
    return null;
  }
}
