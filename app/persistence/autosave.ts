/**
 * Autosave: the working document kept in IndexedDB, so a reload or a crash loses nothing.
 *
 * Edits are saved after a pause (`schedule`, debounced), and at once on `flush` (call it on
 * `pagehide`). The document is stored as model-file text, the same format as an exported file,
 * so restoring goes through the same migrations and schema as an import.
 *
 * Several tabs share the one saved document, so none may overwrite a save it has not seen. Each
 * save carries a revision; a tab writes revision n + 1 only over revision n, the one it last read
 * or wrote, and tells the other tabs on a BroadcastChannel. When another tab saved first, nothing
 * is overwritten: `onOvertaken` says so (at once, from the broadcast, or when a write is refused),
 * this tab's version waits under `overtaken-<tab id>`, and the app lets the user choose
 * (`loadLatest`, or keep theirs as a file). A save identical to the stored one is never an overtake.
 *
 * Before each write the document is checked to read back as written (`writeCheckedModelText`): a
 * version the next load would refuse is not written, so the last version that loads is kept.
 *
 * The user's CSV is kept under a key of its own (`CSV_KEY`), written when it changes rather than
 * with every edit of the graph (it may be megabytes), in the model format's `data` shape so it
 * is checked by the same schema as a file's. Keeping a CSV is a save of the document like any
 * other: it needs the tab to stand on the stored revision, writes the next one (the document
 * record names the CSV's id), and is told to the other tabs, so two tabs with different CSVs are
 * two versions to choose between, not a silent last-writer-wins.
 *
 * A saved value that cannot be read is never thrown away: `restore` moves it to a key of its own
 * (`corrupt-<timestamp>`, in the same store) and reports why, so the app can start empty and the
 * work can still be recovered by hand. Failures of the browser storage itself (no IndexedDB,
 * private mode, a full quota) come back as values, never as exceptions.
 */
import { del, get, type UseStore } from 'idb-keyval';
import type { GraphDocument } from '../graph/document';
import type { CsvData } from '../state/csvReading';
import { describeStorageError, globalIndexedDB, keyvalStore } from './idb-store';
import { writeCheckedModelText } from './model-text';
import { csvIdOf, isRecord, OVERTAKEN_KEY_PREFIX, readSavedCsv, readSavedState, restoreIn, revisionOf, writeCsvIfCurrent, writeIfCurrent, type Footing, type RestoredState, type SavedCsv, type SavedState, type UiState } from './saved-records';

export { CORRUPT_KEY_PREFIX, OVERTAKEN_KEY_PREFIX, type SavedCsv, type SavedState, type UiState } from './saved-records';

export const AUTOSAVE_DB_NAME = 'gradflow';
export const AUTOSAVE_STORE_NAME = 'autosave';
/** The key of the working document in the store. */
export const CURRENT_KEY = 'current';
/** The key of the user's CSV. */
export const CSV_KEY = 'csv';
export const DEFAULT_DEBOUNCE_MS = 400;

export type StorageResult =
  | { ok: true }
  | { ok: false; reason: string }
  /** Another tab saved a different version first: it was kept, and this one waits under `overtaken-<tab id>`. */
  | { ok: false; reason: string; overtaken: true };

export type RestoreResult =
  | { kind: 'empty' }
  | RestoredState
  /** The saved value could not be read; it now lives under `setAsideKey` and the main slot is empty. */
  | { kind: 'corrupt'; reason: string; setAsideKey: string }
  /** The browser storage could not be used; nothing was changed. */
  | { kind: 'unavailable'; reason: string };

export type CsvRestoreResult =
  | { kind: 'empty' }
  | { kind: 'restored'; data: CsvData; savedAt: number }
  | { kind: 'corrupt'; reason: string; setAsideKey: string }
  | { kind: 'unavailable'; reason: string };

/** Another tab saved a version this tab has not seen. */
export interface Overtaken {
  /** When the other tab saved it. */
  savedAt: number;
  /** Whether this tab holds changes that are not saved (a refused write, or one still waiting for its pause). */
  unsaved: boolean;
}

/** The part of BroadcastChannel autosave uses (tests pass their own). */
export interface TabChannel {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

export interface AutosaveOptions {
  /** Default `gradflow`. */
  dbName?: string;
  /** Pause after the last `schedule` before writing; default 400 ms. */
  debounceMs?: number;
  /** Default: the global `indexedDB`, if there is one. */
  indexedDB?: IDBFactory;
  /** Called when a debounced save fails (a `flush` returns its failure instead). Not called when overtaken. */
  onError?: (reason: string) => void;
  /** Called when another tab has saved a version this tab has not seen (once per such version, and on each refused write). */
  onOvertaken?: (overtaken: Overtaken) => void;
  /** The clock for `savedAt` and set-aside keys; default `Date.now`. */
  now?: () => number;
  /** How long to wait for the database to open; default 5 s. */
  openTimeoutMs?: number;
  /** This tab's id; default a random UUID. */
  tabId?: string;
  /** Where tabs tell each other of their saves; default a BroadcastChannel named after the database, null for none. */
  channel?: TabChannel | null;
}

export interface Autosave {
  /** Saves `doc` (and `ui`) once no other call has come for `debounceMs`. */
  schedule(doc: GraphDocument, ui?: UiState): void;
  /** Writes the scheduled save now; resolves when every save asked for so far is stored (or failed). */
  flush(): Promise<StorageResult>;
  /** The saved document, if any. An unreadable one is set aside (see `RestoreResult`). */
  restore(): Promise<RestoreResult>;
  /**
   * The saved document, as `restore`, dropping this tab's unsaved version (a scheduled save, and
   * one waiting under `overtaken-<tab id>`): the user chose another tab's save over it.
   */
  loadLatest(): Promise<RestoreResult>;
  /** Forgets the working document and any scheduled save; set-aside values stay. */
  clear(): Promise<StorageResult>;
  /**
   * Keeps the user's CSV (at once, replacing the one kept before); null forgets it. A new revision
   * of the document: refused (`overtaken`, and `onOvertaken` is told) when another tab saved first.
   */
  saveCsv(data: CsvData | null): Promise<StorageResult>;
  /** The kept CSV, if any. An unreadable one is set aside like an unreadable document. */
  restoreCsv(): Promise<CsvRestoreResult>;
  /** Stops listening to other tabs. */
  dispose(): void;
}

const OK: StorageResult = { ok: true };

export function createAutosave(options: AutosaveOptions = {}): Autosave {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const now = options.now ?? Date.now;
  const dbName = options.dbName ?? AUTOSAVE_DB_NAME;
  const factory = options.indexedDB ?? globalIndexedDB();
  const store: UseStore | null = factory ? keyvalStore(factory, dbName, AUTOSAVE_STORE_NAME, options.openTimeoutMs) : null;
  const noStorage = 'this browser offers no IndexedDB storage (private mode or storage disabled?)';
  const tabId = options.tabId ?? randomId();
  const overtakenKey = `${OVERTAKEN_KEY_PREFIX}${tabId}`;
  const channel = options.channel !== undefined ? options.channel : store ? openChannel(`gradflow-autosave:${dbName}`) : null;

  let pending: { doc: GraphDocument; ui: UiState | undefined } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The latest write, while it runs. IDB runs a store's read-write transactions in the order they were made. */
  let writing: Promise<StorageResult> | null = null;
  /** The save this tab's document stands on (its text recognises another tab's save of the very same version). */
  const footing: Footing = { base: null, text: null, csv: null };
  /** CSVs this tab kept so far: with the tab id, each one's id. */
  let csvCount = 0;
  /** The newest revision `onOvertaken` was told of, so that a broadcast is reported once. */
  let reported = -1;

  const cancelTimer = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  /** Another tab saved first: say so once per revision. */
  const overtakenAt = (outcome: { revision: number; savedAt: number }): void => {
    reported = Math.max(reported, outcome.revision);
    options.onOvertaken?.({ savedAt: outcome.savedAt, unsaved: true });
  };

  const write = async (doc: GraphDocument, ui: UiState | undefined): Promise<StorageResult> => {
    if (!store) return { ok: false, reason: `could not save: ${noStorage}` };
    // A version the next load would refuse must not replace the last one that loads.
    const checked = writeCheckedModelText(doc);
    if (!checked.ok) return { ok: false, reason: `this version was not saved, because ${checked.problem}; the last saved version is kept` };
    const state: SavedState = { model: checked.text, savedAt: now(), ...(ui !== undefined ? { ui } : {}), tab: tabId };
    let outcome;
    try {
      outcome = await store('readwrite', (s) => writeIfCurrent(s, CURRENT_KEY, state, footing, overtakenKey));
    } catch (e) {
      return { ok: false, reason: `could not save: ${describeStorageError(e)}` };
    }
    if (outcome.kind === 'overtaken') {
      overtakenAt(outcome);
      return { ok: false, overtaken: true, reason: 'another tab saved a different version of this model first; it was kept, and this version was not saved over it' };
    }
    if (outcome.kind === 'written') channel?.postMessage({ kind: 'saved', revision: outcome.revision, tab: tabId });
    return OK;
  };

  const flush = (): Promise<StorageResult> => {
    cancelTimer();
    if (pending === null) return writing ?? Promise.resolve(OK);
    const { doc, ui } = pending;
    pending = null;
    const thisWrite = write(doc, ui);
    writing = thisWrite;
    void thisWrite.then(() => {
      if (writing === thisWrite) writing = null;
    });
    return thisWrite;
  };

  const restore = async (): Promise<RestoreResult> => {
    if (!store) return { kind: 'unavailable', reason: `could not read the saved work: ${noStorage}` };
    try {
      // One read-write transaction, so that what is set aside is exactly what was read.
      const result = await store('readwrite', (s) => restoreIn(s, CURRENT_KEY, readSavedState, now));
      if (result.kind !== 'read') {
        Object.assign(footing, { base: 0, text: null, csv: null }); // an empty slot (a value set aside leaves it empty)
        return result;
      }
      Object.assign(footing, { base: result.revision, text: result.text, csv: result.csv });
      return result.restored;
    } catch (e) {
      return { kind: 'unavailable', reason: `could not read the saved work: ${describeStorageError(e)}` };
    }
  };

  const loadLatest = async (): Promise<RestoreResult> => {
    cancelTimer();
    pending = null;
    await writing; // a write already under way must not land after the choice
    const result = await restore();
    if (store && result.kind !== 'unavailable') await del(overtakenKey, store).catch(() => undefined);
    return result;
  };

  /** Another tab says it saved: tell the app, unless this tab has that version already. */
  const heardOfSave = async (): Promise<void> => {
    if (!store) return;
    let stored: unknown;
    try {
      stored = await get<unknown>(CURRENT_KEY, store);
    } catch {
      return; // this tab's own next write will find out
    }
    const revision = revisionOf(stored);
    if (stored === undefined || revision === footing.base || revision <= reported) return;
    if (isRecord(stored) && stored.model === footing.text && csvIdOf(stored) === footing.csv && pending === null) {
      footing.base = revision; // the same version as this tab's: nothing to choose
      return;
    }
    reported = revision;
    options.onOvertaken?.({ savedAt: isRecord(stored) && typeof stored.savedAt === 'number' ? stored.savedAt : 0, unsaved: pending !== null });
  };
  if (channel) {
    channel.onmessage = (event) => {
      const message: unknown = event.data;
      if (isRecord(message) && message.kind === 'saved' && message.tab !== tabId) void heardOfSave();
    };
  }

  const saveCsv = async (data: CsvData | null): Promise<StorageResult> => {
    if (!store) return { ok: false, reason: `could not keep the CSV: ${noStorage}` };
    const savedAt = now();
    const csv: SavedCsv | null = data ? { data, savedAt, id: `${tabId}-${++csvCount}` } : null;
    let outcome;
    try {
      outcome = await store('readwrite', (s) => writeCsvIfCurrent(s, { docKey: CURRENT_KEY, csvKey: CSV_KEY, overtakenKey: `${overtakenKey}-csv` }, csv, footing, { savedAt, tab: tabId }));
    } catch (e) {
      return { ok: false, reason: `could not keep the CSV: ${describeStorageError(e)}` };
    }
    if (outcome.kind === 'overtaken') {
      overtakenAt(outcome);
      return { ok: false, overtaken: true, reason: 'another tab saved a different version of this model first; it was kept, and this CSV was not kept over it' };
    }
    if (outcome.kind === 'written') channel?.postMessage({ kind: 'saved', revision: outcome.revision, tab: tabId });
    return OK;
  };

  const restoreCsv = async (): Promise<CsvRestoreResult> => {
    if (!store) return { kind: 'unavailable', reason: `could not read the kept CSV: ${noStorage}` };
    try {
      return await store('readwrite', (s) => restoreIn(s, CSV_KEY, readSavedCsv, now));
    } catch (e) {
      return { kind: 'unavailable', reason: `could not read the kept CSV: ${describeStorageError(e)}` };
    }
  };

  const clear = async (): Promise<StorageResult> => {
    cancelTimer();
    pending = null;
    if (!store) return { ok: false, reason: `could not clear the saved work: ${noStorage}` };
    try {
      await del(CURRENT_KEY, store);
      Object.assign(footing, { base: 0, text: null });
      return OK;
    } catch (e) {
      return { ok: false, reason: `could not clear the saved work: ${describeStorageError(e)}` };
    }
  };

  return {
    schedule(doc, ui) {
      pending = { doc, ui };
      cancelTimer();
      timer = setTimeout(() => {
        timer = null;
        void flush().then((result) => {
          if (!result.ok && !('overtaken' in result)) options.onError?.(result.reason);
        });
      }, debounceMs);
    },
    flush,
    restore,
    loadLatest,
    clear,
    saveCsv,
    restoreCsv,
    dispose() {
      cancelTimer();
      channel?.close();
    },
  };
}

function openChannel(name: string): TabChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
  } catch {
    return null; // some sandboxed frames refuse it; the revision check still guards every write
  }
}

function randomId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
