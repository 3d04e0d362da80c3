/**
 * The runs kept to compare: in this session (a zustand store the Runs view reads) and in IndexedDB
 * (one entry per run, so a reload or another visit finds them). At most MAX_RUNS are kept; past
 * that, the oldest unpinned go first. A run's record is written when it ends — it finished,
 * diverged, was paused or reset, or its graph changed — and again if it goes on, under the same id.
 *
 * Storage failures (no IndexedDB, a full quota) never lose the session's runs: the store says why
 * they will not outlive the tab (`storageProblem`) and keeps them in memory.
 */
import { del, entries, set as idbSet, type UseStore } from 'idb-keyval';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { describeStorageError, keyvalStore } from '../persistence/idb-store';
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
  /** Why runs will not outlive this tab, when the browser storage fails. */
  storageProblem: string | null;
}

export interface RunsStoreOptions {
  /** Default: the global `indexedDB`, if there is one. */
  indexedDB?: IDBFactory;
  /** Where the runs chosen for the charts are remembered (localStorage in the app); none: not remembered. */
  choiceStorage?: Pick<Storage, 'getItem' | 'setItem'>;
}

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
  const store: UseBoundStore<StoreApi<RunsState>> = create<RunsState>()(() => ({
    runs: [],
    chosen: [],
    loaded: false,
    storageProblem: factory ? null : 'this browser has no storage for them (IndexedDB is unavailable)',
  }));

  const failed = (e: unknown): void => store.setState({ storageProblem: describeStorageError(e) });
  const { choiceStorage } = options;
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
  /** The choice remembered from an earlier visit, among `ids`. */
  const rememberedChoice = (ids: ReadonlySet<string>): string[] => {
    try {
      const saved: unknown = JSON.parse(choiceStorage?.getItem(CHOSEN_KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string' && ids.has(id)).slice(-MAX_CHOSEN) : [];
    } catch {
      return [];
    }
  };
  const write = (r: RunRecord): void => void (db && idbSet(r.id, r, db).catch(failed));
  const remove = (id: string): void => void (db && del(id, db).catch(failed));

  /** Replaces the list (capped, deleting what falls off) and drops chosen ids that are gone. */
  function setRuns(runs: readonly RunRecord[]): void {
    const { kept, dropped } = capRuns(runs);
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

  return {
    store,
    /** Reads the stored runs (once, at start); runs kept before it answered stay. Damaged entries are skipped. */
    async load(): Promise<void> {
      if (!db) return store.setState({ loaded: true });
      try {
        const stored = (await entries(db))
          .map(([, value]) => readRecord(value))
          .filter((r): r is RunRecord => r !== null)
          // Written while it trained, in a tab since closed or reloaded: it trains no more.
          .map((r) => (r.end === 'training' ? { ...r, end: 'stopped' as const } : r));
        const here = new Set(store.getState().runs.map((r) => r.id));
        // Read before the list changes (a change of the choice writes it over).
        const remembered = rememberedChoice(new Set([...here, ...stored.map((r) => r.id)]));
        setRuns([...store.getState().runs, ...stored.filter((r) => !here.has(r.id))]);
        // Runs charted in this tab before the read come after the ones remembered.
        const kept = new Set(store.getState().runs.map((r) => r.id));
        const back = remembered.filter((id) => kept.has(id));
        if (back.length > 0) store.setState((s) => ({ chosen: [...back, ...s.chosen.filter((id) => !back.includes(id))].slice(-MAX_CHOSEN) }));
      } catch (e) {
        failed(e);
      }
      store.setState({ loaded: true });
    },
    /** Adds a run (charted at once), or updates it (same id); `persist: false` keeps it in the session only (a live run shown while it trains). */
    keep(record: RunRecord, persist = true): void {
      const runs = store.getState().runs;
      const isNew = !runs.some((r) => r.id === record.id);
      setRuns([record, ...runs.filter((r) => r.id !== record.id)]);
      // A new run joins the charts (the first chosen makes room past MAX_CHOSEN); untick it to hide it.
      if (isNew && store.getState().runs.some((r) => r.id === record.id)) store.setState((s) => ({ chosen: [...s.chosen, record.id].slice(-MAX_CHOSEN) }));
      if (persist && store.getState().runs.some((r) => r.id === record.id)) write(record);
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
      store.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id), chosen: s.chosen.filter((c) => c !== id) }));
      remove(id);
    },
    /** Adds a run to the charts, or takes it off; past MAX_CHOSEN, the first chosen makes room. */
    toggleChosen(id: string): void {
      store.setState((s) => {
        if (s.chosen.includes(id)) return { chosen: s.chosen.filter((c) => c !== id) };
        return { chosen: [...s.chosen, id].slice(-MAX_CHOSEN) };
      });
    },
    setChosen: (ids: readonly string[]) => store.setState({ chosen: ids.slice(-MAX_CHOSEN) }),
  };
}

function globalIndexedDB(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined; // reading it throws SecurityError in some sandboxed frames
  }
}
