/**
 * The user's CSV kept in the browser beside the autosaved document, so that after a reload a
 * model on 'csv' trains again without a new upload. It is restored on start (before the document,
 * so the canvas compiles against it at once), saved whenever the reading changes (a new file, a
 * label column, a task), and forgotten when replaced by one too large to keep (CSV_KEEP_LIMIT):
 * a reload must not bring back an older file than the one last uploaded. The upload panel shows
 * what happened through `useCsvKeeping`.
 */
import { create } from 'zustand';
import { canKeepCsv, restoreCsv, useCsvUpload } from '../state/csv';
import { csvDataOf, type CsvData, type CsvReading } from '../state/csvReading';
import type { Autosave } from './autosave';

export type CsvKeeping = { state: 'saving' } | { state: 'kept' } | { state: 'too-large' } | { state: 'failed'; reason: string };

/** Null while nothing is kept or nothing keeps (no autosave running, as in unit tests). */
export const useCsvKeeping = create<{ keeping: CsvKeeping | null }>()(() => ({ keeping: null }));

/** Restores the kept CSV as the uploaded one. Resolves to a notice for the user when the kept value had to be set aside. */
export async function restoreKeptCsv(autosave: Autosave): Promise<string | null> {
  const restored = await autosave.restoreCsv();
  switch (restored.kind) {
    case 'restored':
      restoreCsv(restored.data);
      useCsvKeeping.setState({ keeping: { state: 'kept' } });
      return null;
    case 'corrupt':
      return `Your uploaded CSV could not be read back (${restored.reason}). It was set aside in the browser's storage as “${restored.setAsideKey}”; upload the file again.`;
    case 'unavailable': // the document's restore says the storage is unavailable
    case 'empty':
      return null;
  }
}

/** The reading the storage holds (or is being given). */
let kept: CsvReading | null = null;
/** Set while a CSV read from the storage becomes the uploaded one: it is kept already. */
let adopting = false;

/** Gives the storage `reading` (null forgets the kept CSV), and shows how it went. */
function keep(autosave: Autosave, reading: CsvReading | null): void {
  kept = reading;
  const report = (keeping: CsvKeeping): void => {
    if (kept === reading) useCsvKeeping.setState({ keeping });
  };
  if (reading === null) {
    useCsvKeeping.setState({ keeping: null });
    void autosave.saveCsv(null);
  } else if (!canKeepCsv(reading)) {
    useCsvKeeping.setState({ keeping: { state: 'too-large' } });
    void autosave.saveCsv(null);
  } else {
    useCsvKeeping.setState({ keeping: { state: 'saving' } });
    void autosave.saveCsv(csvDataOf(reading, true) as CsvData).then((result) => report(result.ok ? { state: 'kept' } : { state: 'failed', reason: result.reason }));
  }
}

/** Saves the uploaded CSV on every change from now on; returns the unsubscribe. */
export function keepCsvInBrowser(autosave: Autosave): () => void {
  kept = useCsvUpload.getState().reading;
  return useCsvUpload.subscribe(({ reading }) => {
    if (reading === kept) return;
    if (adopting) kept = reading;
    else keep(autosave, reading);
  });
}

/**
 * After this tab took another tab's save (autosave.loadLatest): that save's CSV becomes the
 * uploaded one. When the save keeps none, this tab's own CSV stays and is kept with it (a save
 * the other tabs hear of), so that what this tab shows is what a reload brings back. Resolves to a
 * notice when the kept CSV had to be set aside.
 */
export async function adoptKeptCsv(autosave: Autosave): Promise<string | null> {
  const restored = await autosave.restoreCsv();
  if (restored.kind === 'restored') {
    adopting = true;
    try {
      restoreCsv(restored.data);
    } finally {
      adopting = false;
    }
    useCsvKeeping.setState({ keeping: { state: 'kept' } });
    return null;
  }
  if (restored.kind === 'corrupt') return `The other tab’s CSV could not be read back (${restored.reason}). It was set aside in the browser's storage as “${restored.setAsideKey}”; upload the file again.`;
  if (restored.kind === 'empty') keepMyCsv(autosave);
  return null;
}

/** This tab's CSV (or none) is kept with this tab's version, which replaces a save that is gone or unreadable. */
export function keepMyCsv(autosave: Autosave): void {
  keep(autosave, useCsvUpload.getState().reading);
}
