/**
 * An idb-keyval store over a given IDBFactory (idb-keyval's own `createStore` always uses the
 * global `indexedDB`, which tests and private-mode fallbacks need to replace).
 *
 * Like idb-keyval's, the connection is opened on first use and reopened after the browser closes
 * it; unlike it, a failed or hung open is forgotten, so a later call tries again, and a hung open
 * fails after `openTimeoutMs` instead of leaving every caller waiting forever (older Safari
 * sometimes never answers `indexedDB.open`).
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
      try {
        const request = factory.open(dbName);
        request.onupgradeneeded = () => request.result.createObjectStore(storeName);
        promisifyRequest(request).then((db) => {
          if (timedOut) db.close(); // too late: the callers have been told it failed
          else settle(resolve)(db);
        }, settle(reject));
      } catch (e) {
        settle(reject)(e); // e.g. SecurityError where storage is disabled
      }
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
