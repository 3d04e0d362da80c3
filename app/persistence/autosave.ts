/**
 * Autosave: the working document kept in IndexedDB, so a reload or a crash loses nothing.
 *
 * Edits are saved after a pause (`schedule`, debounced), and at once on `flush` (call it on
 * `pagehide`). The document is stored as model-file text, the same format as an exported file,
 * so restoring goes through the same migrations and schema as an import.
 *
 * The user's CSV is kept under a key of its own (`CSV_KEY`), written when it changes rather than
 * with every edit of the graph (it may be megabytes), in the model format's `data` shape so it
 * is checked by the same schema as a file's.
 *
 * Before each write the document is checked to read back as written (`writeCheckedModelText`): a
 * version the next load would refuse is not written, so the last version that loads is kept.
 *
 * A saved value that cannot be read is never thrown away: `restore` moves it to a key of its own
 * (`corrupt-<timestamp>`, in the same store) and reports why, so the app can start empty and the
 * work can still be recovered by hand. Failures of the browser storage itself (no IndexedDB,
 * private mode, a full quota) come back as values, never as exceptions.
 */
import { del, set, type UseStore } from 'idb-keyval';
import { CsvDataSchema } from '../../engine/model';
import { describeValue, readableIssues } from '../../engine/model/errors';
import type { GraphDocument } from '../graph/document';
import type { CsvData } from '../state/csvReading';
import { describeStorageError, keyvalStore } from './idb-store';
import { readModelText, summarizeProblems, writeCheckedModelText } from './model-text';

export const AUTOSAVE_DB_NAME = 'gradflow';
export const AUTOSAVE_STORE_NAME = 'autosave';
/** The key of the working document in the store. */
export const CURRENT_KEY = 'current';
/** The key of the user's CSV. */
export const CSV_KEY = 'csv';
export const CORRUPT_KEY_PREFIX = 'corrupt-';
export const DEFAULT_DEBOUNCE_MS = 400;

/** View settings saved with the document (e.g. the edge-shape toggle); must be structured-cloneable. */
export type UiState = Record<string, unknown>;

/** What is stored under `CURRENT_KEY`. */
export interface SavedState {
  /** The document as model-file text: serializeModel(toModelDefinition(doc)). */
  model: string;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  ui?: UiState;
}

/** What is stored under `CSV_KEY`. */
export interface SavedCsv {
  data: CsvData;
  savedAt: number;
}

export type StorageResult = { ok: true } | { ok: false; reason: string };

export type RestoreResult =
  | { kind: 'empty' }
  | { kind: 'restored'; doc: GraphDocument; savedAt: number; ui?: UiState; warnings: string[] }
  /** The saved value could not be read; it now lives under `setAsideKey` and the main slot is empty. */
  | { kind: 'corrupt'; reason: string; setAsideKey: string }
  /** The browser storage could not be used; nothing was changed. */
  | { kind: 'unavailable'; reason: string };

export type CsvRestoreResult =
  | { kind: 'empty' }
  | { kind: 'restored'; data: CsvData; savedAt: number }
  | { kind: 'corrupt'; reason: string; setAsideKey: string }
  | { kind: 'unavailable'; reason: string };

export interface AutosaveOptions {
  /** Default `gradflow`. */
  dbName?: string;
  /** Pause after the last `schedule` before writing; default 400 ms. */
  debounceMs?: number;
  /** Default: the global `indexedDB`, if there is one. */
  indexedDB?: IDBFactory;
  /** Called when a debounced save fails (a `flush` returns its failure instead). */
  onError?: (reason: string) => void;
  /** The clock for `savedAt` and set-aside keys; default `Date.now`. */
  now?: () => number;
  /** How long to wait for the database to open; default 5 s. */
  openTimeoutMs?: number;
}

export interface Autosave {
  /** Saves `doc` (and `ui`) once no other call has come for `debounceMs`. */
  schedule(doc: GraphDocument, ui?: UiState): void;
  /** Writes the scheduled save now; resolves when every save asked for so far is stored (or failed). */
  flush(): Promise<StorageResult>;
  /** The saved document, if any. An unreadable one is set aside (see `RestoreResult`). */
  restore(): Promise<RestoreResult>;
  /** Forgets the working document and any scheduled save; set-aside values stay. */
  clear(): Promise<StorageResult>;
  /** Keeps the user's CSV (at once, replacing the one kept before); null forgets it. */
  saveCsv(data: CsvData | null): Promise<StorageResult>;
  /** The kept CSV, if any. An unreadable one is set aside like an unreadable document. */
  restoreCsv(): Promise<CsvRestoreResult>;
}

const OK: StorageResult = { ok: true };

export function createAutosave(options: AutosaveOptions = {}): Autosave {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const now = options.now ?? Date.now;
  const factory = options.indexedDB ?? globalIndexedDB();
  const store: UseStore | null = factory
    ? keyvalStore(factory, options.dbName ?? AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME, options.openTimeoutMs)
    : null;
  const noStorage = 'this browser offers no IndexedDB storage (private mode or storage disabled?)';

  let pending: { doc: GraphDocument; ui: UiState | undefined } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The latest write, while it runs. IDB runs a store's read-write transactions in the order they were made. */
  let writing: Promise<StorageResult> | null = null;

  const cancelTimer = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const write = async (doc: GraphDocument, ui: UiState | undefined): Promise<StorageResult> => {
    if (!store) return { ok: false, reason: `could not save: ${noStorage}` };
    // A version the next load would refuse must not replace the last one that loads.
    const checked = writeCheckedModelText(doc);
    if (!checked.ok) return { ok: false, reason: `this version was not saved, because ${checked.problem}; the last saved version is kept` };
    const state: SavedState = { model: checked.text, savedAt: now(), ...(ui !== undefined ? { ui } : {}) };
    try {
      await set(CURRENT_KEY, state, store);
      return OK;
    } catch (e) {
      return { ok: false, reason: `could not save: ${describeStorageError(e)}` };
    }
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
      return await store('readwrite', (s) => restoreIn(s, CURRENT_KEY, readSavedState, now));
    } catch (e) {
      return { kind: 'unavailable', reason: `could not read the saved work: ${describeStorageError(e)}` };
    }
  };

  const saveCsv = async (data: CsvData | null): Promise<StorageResult> => {
    if (!store) return { ok: false, reason: `could not keep the CSV: ${noStorage}` };
    try {
      if (data === null) await del(CSV_KEY, store);
      else await set(CSV_KEY, { data, savedAt: now() } satisfies SavedCsv, store);
      return OK;
    } catch (e) {
      return { ok: false, reason: `could not keep the CSV: ${describeStorageError(e)}` };
    }
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
          if (!result.ok) options.onError?.(result.reason);
        });
      }, debounceMs);
    },
    flush,
    restore,
    clear,
    saveCsv,
    restoreCsv,
  };
}

type Readout<R> = { ok: true; result: R } | { ok: false; reason: string };

/** Reads `key`; a value `read` refuses is moved to a set-aside key in the same transaction. */
function restoreIn<R>(s: IDBObjectStore, key: string, read: (value: unknown) => Readout<R>, now: () => number): Promise<R | { kind: 'empty' } | { kind: 'corrupt'; reason: string; setAsideKey: string }> {
  return new Promise((resolve, reject) => {
    const tx = s.transaction;
    tx.onabort = () => reject(tx.error);
    const got = s.get(key);
    got.onsuccess = () => {
      const value: unknown = got.result;
      if (value === undefined) {
        resolve({ kind: 'empty' });
        return;
      }
      let readout: Readout<R>;
      try {
        readout = read(value);
      } catch (e) {
        readout = { ok: false, reason: `the saved value could not be read (${String(e)})` };
      }
      if (readout.ok) {
        resolve(readout.result);
        return;
      }
      const reason = readout.reason;
      const keys = s.getAllKeys();
      keys.onsuccess = () => {
        const setAsideKey = freeKey(`${CORRUPT_KEY_PREFIX}${now()}`, keys.result);
        s.put(value, setAsideKey);
        s.delete(key);
        tx.oncomplete = () => resolve({ kind: 'corrupt', reason, setAsideKey });
      };
    };
  });
}

/** Checks a stored CSV record: its time, then its data against the model format's schema. */
function readSavedCsv(value: unknown): Readout<CsvRestoreResult & { kind: 'restored' }> {
  if (!isRecord(value) || typeof value.savedAt !== 'number' || !Number.isFinite(value.savedAt)) {
    return { ok: false, reason: `the kept CSV is not a record with a save time (got ${describeValue(value)})` };
  }
  const parsed = CsvDataSchema.safeParse(value.data);
  if (!parsed.success) return { ok: false, reason: `the kept CSV is not valid: ${readableIssues(parsed.error.issues, value.data)[0]?.message ?? 'unknown problem'}` };
  const { text } = parsed.data;
  if (text === undefined) return { ok: false, reason: 'the kept CSV has no text' };
  return { ok: true, result: { kind: 'restored', data: { ...parsed.data, text }, savedAt: value.savedAt } };
}

/** Checks a stored value: the record's shape, then its model text. */
function readSavedState(value: unknown): Readout<RestoreResult & { kind: 'restored' }> {
  if (!isRecord(value) || typeof value.model !== 'string') {
    return { ok: false, reason: `the saved work is not an autosave record with model text (got ${describeValue(value)})` };
  }
  const { model, savedAt, ui } = value;
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) {
    return { ok: false, reason: `the saved work has no valid savedAt time (got ${describeValue(savedAt)})` };
  }
  const read = readModelText(model);
  if (!read.ok) return { ok: false, reason: `the saved model is not valid: ${summarizeProblems(read.problems)}` };
  const warnings = [...read.warnings];
  const restored: RestoreResult & { kind: 'restored' } = { kind: 'restored', doc: read.doc, savedAt, warnings };
  if (isRecord(ui)) restored.ui = ui;
  else if (ui !== undefined) warnings.push('the saved view settings could not be read and were reset');
  return { ok: true, result: restored };
}

function freeKey(wanted: string, taken: readonly IDBValidKey[]): string {
  let key = wanted;
  for (let i = 2; taken.includes(key); i++) key = `${wanted}-${i}`;
  return key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function globalIndexedDB(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined; // reading it throws SecurityError in some sandboxed frames
  }
}
