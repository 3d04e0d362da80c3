/**
 * The records autosave keeps in its IndexedDB store, and the transactions that read and write
 * them. Each runs in one read-write transaction, so what it decides on is what it changes, even
 * with other tabs writing the same store (IndexedDB runs a store's read-write transactions one at
 * a time, across tabs).
 */
import { CsvDataSchema } from '../../engine/model';
import { describeValue, readableIssues } from '../../engine/model/errors';
import type { GraphDocument } from '../graph/document';
import type { CsvData } from '../state/csvReading';
import { readModelText, summarizeProblems } from './model-text';

export const CORRUPT_KEY_PREFIX = 'corrupt-';
/** Where a tab's version waits while another tab's newer save holds the main key: `overtaken-<tab id>`. */
export const OVERTAKEN_KEY_PREFIX = 'overtaken-';

/** View settings saved with the document (e.g. the edge-shape toggle); must be structured-cloneable. */
export type UiState = Record<string, unknown>;

/** What is stored under the document's key. */
export interface SavedState {
  /** The document as model-file text: serializeModel(toModelDefinition(doc)). */
  model: string;
  /** When it was written (ms since the epoch). */
  savedAt: number;
  ui?: UiState;
  /**
   * Counts the saves of the document, in any tab: a tab writes revision n + 1 only over revision
   * n, the one it last read or wrote. Absent in saves from before tabs were told apart (read as 0).
   */
  revision?: number;
  /** The tab that wrote it (a random id per page load). */
  tab?: string;
  /**
   * The id of the CSV kept with this save (`SavedCsv.id`), when one is: a CSV is saved as a
   * revision of the document, so the document and the CSV a reload brings back are one tab's.
   */
  csv?: string;
}

/** What is stored under the CSV's key. */
export interface SavedCsv {
  data: CsvData;
  savedAt: number;
  /** Unique per upload (tab id and a count); absent in CSVs kept before CSVs were tied to revisions. */
  id?: string;
}

export type Readout<R> = { ok: true; result: R } | { ok: false; reason: string };

export type RestoredState = { kind: 'restored'; doc: GraphDocument; savedAt: number; ui?: UiState; warnings: string[] };

/** The revision a stored value carries (0 for none, an old record, or something unreadable). */
export function revisionOf(value: unknown): number {
  return isRecord(value) && Number.isSafeInteger(value.revision) && (value.revision as number) >= 0 ? (value.revision as number) : 0;
}

export type WriteOutcome =
  | { kind: 'written'; revision: number }
  /** The store already holds this very version (written by another tab, or by this one before). */
  | { kind: 'unchanged'; revision: number }
  /** Another tab saved since `footing.base`: nothing was written under `key`; this version waits under `overtakenKey`. */
  | { kind: 'overtaken'; revision: number; savedAt: number };

/**
 * The save a tab's document stands on: the revision it last read or wrote (null: it has read
 * nothing yet), its model text, and the id of the CSV that went with it (null: none, or one kept
 * before CSVs had ids).
 */
export interface Footing {
  base: number | null;
  text: string | null;
  csv: string | null;
}

/** The CSV id a stored document record goes with (null for none). */
export function csvIdOf(value: unknown): string | null {
  return isRecord(value) && typeof value.csv === 'string' ? value.csv : null;
}

/**
 * Reads `key` and lets `decide` write what follows from it, in the one read-write transaction
 * (`doing` names the write in the error when the read fails). `decide` may move `footing`; it is
 * put back if the transaction aborts, or if `decide` throws (put throws synchronously for a value
 * that cannot be stored, or a full quota).
 */
function decideAndWrite(s: IDBObjectStore, key: string, footing: Footing, doing: string, decide: (stored: unknown) => WriteOutcome): Promise<WriteOutcome> {
  return new Promise((resolve, reject) => {
    const tx = s.transaction;
    const before = { ...footing };
    let outcome: WriteOutcome | null = null;
    tx.oncomplete = () => (outcome ? resolve(outcome) : reject(new Error(`the saved work could not be read before ${doing}`)));
    tx.onabort = () => {
      Object.assign(footing, before);
      reject(tx.error);
    };
    const got = s.get(key);
    got.onsuccess = () => {
      try {
        outcome = decide(got.result);
      } catch (e) {
        Object.assign(footing, before);
        tx.abort();
        reject(e);
      }
    };
  });
}

const overtakenBy = (stored: unknown, revision: number): WriteOutcome => ({ kind: 'overtaken', revision, savedAt: isRecord(stored) && typeof stored.savedAt === 'number' ? stored.savedAt : 0 });

/**
 * Writes `state` under `key` as the next revision, if the stored one is still `footing.base`
 * (null: this tab has read nothing, so only an empty slot is its own). Otherwise the newer save
 * stays, and `state` is kept under `overtakenKey` so that closing the tab cannot lose it.
 *
 * `footing` moves to the written revision as soon as it is decided, inside the transaction: the
 * tab's next write may already be queued behind this one and must stand on it (it is put back if
 * the transaction aborts).
 */
export function writeIfCurrent(s: IDBObjectStore, key: string, state: SavedState, footing: Footing, overtakenKey: string): Promise<WriteOutcome> {
  return decideAndWrite(s, key, footing, 'writing', (stored) => {
    const revision = revisionOf(stored);
    let outcome: WriteOutcome;
    // The CSV goes with the tab's footing as of this transaction (a CSV kept just before is in it).
    if (isRecord(stored) && stored.model === state.model && sameUi(stored.ui, state.ui) && csvIdOf(stored) === footing.csv) {
      outcome = { kind: 'unchanged', revision };
    } else if (stored !== undefined && revision !== footing.base) {
      s.put(state, overtakenKey);
      return overtakenBy(stored, revision);
    } else {
      s.put({ ...state, revision: revision + 1, ...(footing.csv ? { csv: footing.csv } : {}) }, key);
      s.delete(overtakenKey); // a version that waited is now saved, or replaced by a later one
      outcome = { kind: 'written', revision: revision + 1 };
    }
    footing.base = outcome.revision;
    footing.text = state.model;
    return outcome;
  });
}

/**
 * Keeps a new CSV (`csv`; null forgets the kept one) as the next revision of the document under
 * `docKey`, if the stored one is still `footing.base`: the CSV goes under `csvKey` and the document
 * record is written again with the CSV's id and the next revision, so every other tab sees a new
 * save and none writes its document over this CSV unseen. Otherwise the other tab's save and CSV
 * stay, and this CSV waits under `overtakenKey` (nothing is lost). With no document saved yet, the
 * CSV is simply kept.
 */
export function writeCsvIfCurrent(
  s: IDBObjectStore,
  keys: { docKey: string; csvKey: string; overtakenKey: string },
  csv: SavedCsv | null,
  footing: Footing,
  stamp: { savedAt: number; tab: string },
): Promise<WriteOutcome> {
  return decideAndWrite(s, keys.docKey, footing, 'keeping the CSV', (stored) => {
    const revision = revisionOf(stored);
    if (stored !== undefined && revision !== footing.base) {
      if (csv) s.put(csv, keys.overtakenKey);
      return overtakenBy(stored, revision);
    }
    if (csv) s.put(csv, keys.csvKey);
    else s.delete(keys.csvKey);
    s.delete(keys.overtakenKey);
    footing.csv = csv?.id ?? null;
    if (!isRecord(stored)) return { kind: 'unchanged', revision };
    const { csv: _previous, ...rest } = stored;
    s.put({ ...rest, savedAt: stamp.savedAt, tab: stamp.tab, revision: revision + 1, ...(csv?.id ? { csv: csv.id } : {}) }, keys.docKey);
    footing.base = revision + 1;
    return { kind: 'written', revision: revision + 1 };
  });
}

/** Reads `key`; a value `read` refuses is moved to a set-aside key in the same transaction. */
export function restoreIn<R>(s: IDBObjectStore, key: string, read: (value: unknown) => Readout<R>, now: () => number): Promise<R | { kind: 'empty' } | { kind: 'corrupt'; reason: string; setAsideKey: string }> {
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
export function readSavedCsv(value: unknown): Readout<{ kind: 'restored'; data: CsvData; savedAt: number }> {
  if (!isRecord(value) || typeof value.savedAt !== 'number' || !Number.isFinite(value.savedAt)) {
    return { ok: false, reason: `the kept CSV is not a record with a save time (got ${describeValue(value)})` };
  }
  const parsed = CsvDataSchema.safeParse(value.data);
  if (!parsed.success) return { ok: false, reason: `the kept CSV is not valid: ${readableIssues(parsed.error.issues, value.data)[0]?.message ?? 'unknown problem'}` };
  const { text } = parsed.data;
  if (text === undefined) return { ok: false, reason: 'the kept CSV has no text' };
  return { ok: true, result: { kind: 'restored', data: { ...parsed.data, text }, savedAt: value.savedAt } };
}

/** Checks a stored document record: the record's shape, then its model text. `revision` and `text` say which save it was. */
export function readSavedState(value: unknown): Readout<{ kind: 'read'; restored: RestoredState; revision: number; text: string; csv: string | null }> {
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
  const restored: RestoredState = { kind: 'restored', doc: read.doc, savedAt, warnings };
  if (isRecord(ui)) restored.ui = ui;
  else if (ui !== undefined) warnings.push('the saved view settings could not be read and were reset');
  return { ok: true, result: { kind: 'read', restored, revision: revisionOf(value), text: model, csv: csvIdOf(value) } };
}

function sameUi(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function freeKey(wanted: string, taken: readonly IDBValidKey[]): string {
  let key = wanted;
  for (let i = 2; taken.includes(key); i++) key = `${wanted}-${i}`;
  return key;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
