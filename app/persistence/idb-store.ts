/**
 * An idb-keyval store over a given IDBFactory (idb-keyval's own `createStore` always uses the
 * global `indexedDB`, which tests and private-mode fallbacks need to replace).
 *
 * Like idb-keyval's, the connection is opened on first use and reopened after the browser closes
 * it; unlike it, a failed or hung open is forgotten, so a later call tries again, and a hung open
 * fails after `openTimeoutMs` instead of leaving every caller waiting forever (older Safari
 * sometimes never answers `indexedDB.open`).
 *
 * A database that exists without the store (an older or damaged `gradflow` database, created by
 * hand or by another app on the same origin) is repaired: it is reopened one version up and the
 * missing store is created in the upgrade. Opening without a version never fires an upgrade for
 * an existing database, so without this every transaction would fail with NotFoundError.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';

export const DEFAULT_OPEN_TIMEOUT_MS = 5000;

export function keyvalStore(factory: IDBFactory, dbName: string, storeName: string, openTimeoutMs = DEFAULT_OPEN_TIMEOUT_MS): UseStore {
  let connection: Promise<IDBDatabase> | null = null;

  const open = (): Promise<IDBDatabase> => {
    const opening = new Promise<IDBDatabase>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new StorageTimeoutError(openTimeoutMs));
      }, openTimeoutMs);
      const settle = <T>(f: (value: T) => void) => (value: T): void => {
        clearTimeout(timer);
        f(value);
      };
      openWithStore(factory, dbName, storeName).then((db) => {
        if (timedOut) db.close(); // too late: the callers have been told it failed
        else settle(resolve)(db);
      }, settle(reject));
    });
    const forget = (): void => {
      if (connection === opening) connection = null;
    };
    opening.then((db) => {
      db.onclose = forget;
      // Another tab wants to upgrade the database: let it, and reconnect on the next call.
      db.onversionchange = () => {
        db.close();
        forget();
      };
    }, forget);
    return opening;
  };

  const withStore = <T>(txMode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>, retry = true): Promise<T> => {
    const current = (connection ??= open());
    return current.then((db) => {
      let store: IDBObjectStore;
      try {
        store = db.transaction(storeName, txMode).objectStore(storeName);
      } catch (e) {
        // A connection the browser closed without saying so (Safari): reconnect once.
        if (retry && errorName(e) === 'InvalidStateError') {
          if (connection === current) connection = null;
          return withStore(txMode, callback, false);
        }
        throw e;
      }
      return callback(store);
    });
  };
  return withStore;
}

/** How many times a repair may lose the race to another tab upgrading the same database. */
const REPAIR_ATTEMPTS = 3;

/** Opens `dbName` at whatever version it has; one without `storeName` is upgraded by one version that creates it. */
async function openWithStore(factory: IDBFactory, dbName: string, storeName: string): Promise<IDBDatabase> {
  for (let attempt = 1; ; attempt++) {
    const db = await openDatabase(factory, dbName, undefined, storeName);
    if (db.objectStoreNames.contains(storeName)) return db;
    const version = db.version + 1;
    db.close(); // an open connection of our own would block the upgrade
    try {
      return await openDatabase(factory, dbName, version, storeName);
    } catch (e) {
      // Another tab upgraded it first (VersionError): look again at what it made.
      if (errorName(e) !== 'VersionError' || attempt >= REPAIR_ATTEMPTS) throw e;
    }
  }
}

/** One `indexedDB.open`; its upgrade (a new database, or a repair) creates the store if it is missing. */
function openDatabase(factory: IDBFactory, dbName: string, version: number | undefined, storeName: string): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    // Throws synchronously where storage is disabled (SecurityError): the promise rejects with it.
    const request = version === undefined ? factory.open(dbName) : factory.open(dbName, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
    };
    promisifyRequest(request).then(resolve, reject);
  });
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

export class StorageTimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(ms: number) {
    super(`the browser storage did not answer within ${ms / 1000} s`);
  }
}

/**
 * A failure of the browser storage in words: "the browser storage is full (QuotaExceededError)".
 * IDB errors are DOMExceptions, told apart by `name`; a transaction aborted without an error
 * rejects with null.
 */
export function describeStorageError(error: unknown): string {
  if (error === null || error === undefined) return 'the browser storage gave up the operation (the transaction was aborted)';
  const name = errorName(error);
  const message = typeof error === 'object' && 'message' in error && typeof error.message === 'string' ? error.message : String(error);
  const detail = message !== '' && message !== name ? `${name || 'Error'}: ${message}` : name || 'Error';
  switch (name) {
    case 'QuotaExceededError':
      return `the browser storage is full (${detail})`;
    case 'DataCloneError':
      return `the value cannot be stored (${detail})`;
    case 'TimeoutError':
      return message;
    default:
      return `the browser storage is unavailable (${detail})`;
  }
}

/** The page's `indexedDB`, or undefined where there is none (under Node) or reading it throws (SecurityError in some sandboxed frames). */
export function globalIndexedDB(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}
