import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { get, set } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { csvForLoad, describeTrainingDataset, setCsvLabelColumn, uploadCsv, useCsvUpload } from '../state/csv';
import type { CsvData } from '../state/csvReading';
import { graphStore } from '../state/graph';
import { AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME, createAutosave, CSV_KEY, CURRENT_KEY, type Autosave, type SavedCsv, type SavedState } from './autosave';
import { keyvalStore } from './idb-store';
import { adoptKeptCsv, keepCsvInBrowser, restoreKeptCsv, useCsvKeeping } from './keptCsv';
import { spiralDocument } from './test-fixtures';

/** A header and `n` rows made by `row(i)`. */
function csv(header: string, n: number, row: (i: number) => string): string {
  return [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
}

const plants = csv('height,width,kind', 12, (i) => `${i * 0.5},${2 * i},${i % 3 === 0 ? 1 : 0}`);

/** One browser profile (an in-memory IndexedDB) and a way to open a new session on it, as a reload does. */
function browser() {
  const factory = new IDBFactory();
  let clock = 1_700_000_000_000;
  const session = (): Autosave => createAutosave({ indexedDB: factory, now: () => clock });
  const raw = keyvalStore(factory, AUTOSAVE_DB_NAME, AUTOSAVE_STORE_NAME);
  return {
    session,
    setClock: (t: number) => (clock = t),
    read: (key: string) => get<unknown>(key, raw),
    plant: (value: unknown, key: string) => set(key, value, raw),
  };
}

/** What a reload loses: the page's memory of the uploaded CSV. */
function forgetPage(): void {
  useCsvUpload.setState({ reading: null, version: 0 });
  useCsvKeeping.setState({ keeping: null });
}

const keptState = () => expect.poll(() => useCsvKeeping.getState().keeping?.state);

let stopKeeping: (() => void) | null = null;
beforeEach(() => {
  forgetPage();
  graphStore.getState().setTraining({ dataset: 'csv' });
});
afterEach(() => {
  stopKeeping?.();
  stopKeeping = null;
  vi.restoreAllMocks();
});

describe('autosave keeps a CSV under a key of its own', () => {
  it('restores exactly what was saved, in a new session, and leaves the document alone', async () => {
    const b = browser();
    const data: CsvData = { kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'binary', text: '\uFEFFa,"b"\r\n1,é\n' };
    b.setClock(42);
    expect(await b.session().saveCsv(data)).toEqual({ ok: true });
    expect(await b.session().restoreCsv()).toStrictEqual({ kind: 'restored', data, savedAt: 42 });
    expect(await b.read(CURRENT_KEY)).toBeUndefined();
    // A document's autosave does not touch the CSV, nor the CSV the document.
    const session = b.session();
    session.schedule(spiralDocument());
    await session.flush();
    expect(await b.session().restoreCsv()).toMatchObject({ kind: 'restored', data });
    expect(await b.session().restore()).toMatchObject({ kind: 'restored', doc: spiralDocument() });
  });

  it('forgets it when given null, and has nothing to restore then', async () => {
    const b = browser();
    await b.session().saveCsv({ kind: 'csv', name: 'a.csv', text: 'a,b\n' });
    expect(await b.session().saveCsv(null)).toEqual({ ok: true });
    expect(await b.session().restoreCsv()).toEqual({ kind: 'empty' });
  });

  it.each<[string, unknown, RegExp]>([
    ['a record without a save time', { data: { kind: 'csv', name: 'a.csv', text: 'a' } }, /^the kept CSV is not a record with a save time/],
    ['data failing the schema', { data: { kind: 'csv', name: '', text: 'a' }, savedAt: 1 }, /^the kept CSV is not valid: name: must not be empty$/],
    ['data without its text', { data: { kind: 'csv', name: 'a.csv' }, savedAt: 1 }, /^the kept CSV has no text$/],
  ])('sets aside an unreadable record (%s) and reports why', async (_, value, reason) => {
    const b = browser();
    await b.plant(value, CSV_KEY);
    b.setClock(7);
    expect(await b.session().restoreCsv()).toEqual({ kind: 'corrupt', reason: expect.stringMatching(reason), setAsideKey: 'corrupt-7' });
    expect(await b.read('corrupt-7')).toEqual(value);
    expect(await b.read(CSV_KEY)).toBeUndefined();
  });

  it('reports a full quota as a reason, without throwing', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    expect(await browser().session().saveCsv({ kind: 'csv', name: 'a.csv', text: 'a' })).toEqual({
      ok: false,
      reason: 'could not keep the CSV: the browser storage is full (QuotaExceededError: The quota has been exceeded.)',
    });
  });
});

describe('the uploaded CSV across a reload', () => {
  it('comes back after a reload with its label column and task, so a model on csv loads the same data again', async () => {
    const b = browser();
    stopKeeping = keepCsvInBrowser(b.session());
    uploadCsv(plants, 'plants.csv');
    setCsvLabelColumn('height');
    await keptState().toBe('kept');
    const before = csvForLoad('csv')!.choice;
    expect(before).toMatchObject({ name: 'plants.csv', labelColumn: 'height', task: 'regression' });
    stopKeeping();
    stopKeeping = null;

    forgetPage();
    expect(csvForLoad('csv')).toBeNull();
    expect(await restoreKeptCsv(b.session())).toBeNull();
    expect(csvForLoad('csv')!.choice).toEqual(before);
    expect(describeTrainingDataset('csv', {})).toMatchObject({ name: 'plants.csv', targetName: 'height', task: 'regression' });
    expect(useCsvKeeping.getState().keeping).toEqual({ state: 'kept' });
  });

  it('a CSV over the limit is not kept, says so, and the older kept one is forgotten rather than brought back', async () => {
    const b = browser();
    stopKeeping = keepCsvInBrowser(b.session());
    uploadCsv(plants, 'plants.csv');
    await keptState().toBe('kept');
    const big = `${plants}\n1,${'9'.repeat(5_600_000)},0`; // 5.3 MB, mostly one cell
    uploadCsv(big, 'big.csv');
    expect(useCsvKeeping.getState().keeping).toEqual({ state: 'too-large' });
    await expect.poll(() => b.read(CSV_KEY)).toBeUndefined();
    forgetPage();
    await restoreKeptCsv(b.session());
    expect(useCsvUpload.getState().reading).toBeNull();
  });

  it('a kept CSV that cannot be read is set aside with a notice, and the page starts without it', async () => {
    const b = browser();
    await b.plant({ data: { kind: 'csv', name: 'a.csv', task: 'ranking', text: 'a' }, savedAt: 1 }, CSV_KEY);
    b.setClock(9);
    expect(await restoreKeptCsv(b.session())).toMatch(/^Your uploaded CSV could not be read back \(the kept CSV is not valid: .*task.*\)\. It was set aside in the browser's storage as “corrupt-9”/);
    expect(useCsvUpload.getState().reading).toBeNull();
  });

  it('a failed save is shown with its reason', async () => {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    stopKeeping = keepCsvInBrowser(browser().session());
    uploadCsv(plants, 'plants.csv');
    await keptState().toBe('failed');
    expect(useCsvKeeping.getState().keeping).toEqual({ state: 'failed', reason: expect.stringContaining('the browser storage is full') });
  });
});

describe('the uploaded CSV when this tab takes another tab’s save', () => {
  const stars = csv('brightness,size,kind', 12, (i) => `${i},${3 * i},${i % 2}`);

  /** This tab (its page keeping its CSV) and another tab that saved a graph after it last read. */
  async function twoTabs() {
    const b = browser();
    const mine = b.session();
    await mine.restore();
    stopKeeping = keepCsvInBrowser(mine);
    const other = b.session();
    await other.restore();
    other.schedule(spiralDocument());
    expect(await other.flush()).toEqual({ ok: true });
    return { b, mine, other };
  }

  it('its CSV becomes the uploaded one, is not kept again, and a reload brings back that pair', async () => {
    const { b, mine, other } = await twoTabs();
    expect(await other.saveCsv({ kind: 'csv', name: 'plants.csv', labelColumn: 'kind', task: 'binary', text: plants })).toEqual({ ok: true });
    // This tab's upload cannot be kept over the other tab's save, and says why.
    uploadCsv(stars, 'stars.csv');
    await keptState().toBe('failed');
    expect(useCsvKeeping.getState().keeping).toMatchObject({ reason: expect.stringMatching(/another tab saved a different version/) });

    expect(await mine.loadLatest()).toMatchObject({ kind: 'restored' });
    const saves = vi.spyOn(mine, 'saveCsv');
    expect(await adoptKeptCsv(mine)).toBeNull();
    expect(useCsvUpload.getState().reading?.fileName).toBe('plants.csv');
    expect(useCsvKeeping.getState().keeping).toEqual({ state: 'kept' });
    // Nothing written: the CSV came from the storage.
    expect(saves).not.toHaveBeenCalled();
    // From here on this tab's uploads are kept over it.
    uploadCsv(stars, 'stars.csv');
    await keptState().toBe('kept');
    expect(((await b.read(CSV_KEY)) as SavedCsv).data.name).toBe('stars.csv');
  });

  it('when its save keeps no CSV, this tab’s own stays and is kept with it', async () => {
    const { b, mine } = await twoTabs();
    uploadCsv(stars, 'stars.csv');
    await keptState().toBe('failed');
    expect(await b.read(CSV_KEY)).toBeUndefined();
    await mine.loadLatest();
    expect(await adoptKeptCsv(mine)).toBeNull();
    expect(useCsvUpload.getState().reading?.fileName).toBe('stars.csv');
    await keptState().toBe('kept');
    expect(((await b.read(CSV_KEY)) as SavedCsv).data.name).toBe('stars.csv');
    expect(((await b.read(CURRENT_KEY)) as SavedState).csv).toBe(((await b.read(CSV_KEY)) as SavedCsv).id);
  });
});
