/**
 * Dataset previews for the picker, computed on the main thread with the engine. Synthetic sets
 * are generated as the worker generates them (the run's seed seeds the generator); tables and
 * images are fetched from /datasets/ the first time they are chosen, and only their preview is
 * kept (a decoded MNIST would hold 31 MB of floats for 24 thumbnails).
 */
import { datasetPreview, loadBuiltinDataset, type CatalogueEntry, type DatasetPreview, type ImageEntry, type SyntheticEntry, type SyntheticOptions, type TableEntry, type TextEntry } from '../../../engine/data';

/** A preview, with the description of the very data it was drawn from (a synthetic set's options change it: 3 spiral arms, recall 15 steps back). */
export type PreviewResult = { ok: true; preview: DatasetPreview; description?: string } | { ok: false; message: string };

/** How many samples each kind of preview shows (a text: windows of its default length). */
export const PREVIEW_SAMPLES = { synthetic: 600, table: 5, images: 24, text: 8 } as const;

export type FileEntry = TableEntry | ImageEntry | TextEntry;

const syntheticCache = new Map<string, PreviewResult>();
const SYNTHETIC_CACHE_SIZE = 8;

/** A synthetic dataset's first samples, with the options and seed a run would use. */
export function syntheticPreview(entry: SyntheticEntry, options: SyntheticOptions | undefined, seed: number): PreviewResult {
  const key = JSON.stringify([entry.id, options ?? null, seed]);
  let hit = syntheticCache.get(key);
  if (!hit) {
    try {
      const dataset = entry.generate({ ...options, seed });
      hit = { ok: true, preview: datasetPreview(dataset, PREVIEW_SAMPLES.synthetic), description: dataset.info.description ?? entry.description };
    } catch (e) {
      hit = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    syntheticCache.set(key, hit);
    if (syntheticCache.size > SYNTHETIC_CACHE_SIZE) syntheticCache.delete(syntheticCache.keys().next().value!);
  }
  return hit;
}

/**
 * The picker's one-line description of a dataset as the document's options make it: a synthetic
 * set's is read off the data its preview generates; options the generator refuses (the preview
 * says why) fall back to the defaults' description.
 */
export function datasetDescription(entry: CatalogueEntry, options: SyntheticOptions | undefined, seed: number): string {
  if (entry.kind !== 'synthetic') return entry.description;
  const result = syntheticPreview(entry, options, seed);
  return (result.ok && result.description) || entry.description;
}

async function fetchDatasetFile(name: string): Promise<Uint8Array> {
  const response = await fetch(`/datasets/${name}`);
  if (!response.ok) throw new Error(`/datasets/${name} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

const fileCache = new Map<string, Promise<PreviewResult>>();

/** A file-backed dataset's preview, fetched once and then cached. The promise never rejects (a failure is a result). */
export function filePreview(entry: FileEntry): Promise<PreviewResult> {
  let hit = fileCache.get(entry.id);
  if (!hit) {
    const n = PREVIEW_SAMPLES[entry.kind];
    hit = loadBuiltinDataset(entry.id, {}, fetchDatasetFile).then(
      (dataset): PreviewResult => ({ ok: true, preview: datasetPreview(dataset, n) }),
      (e: unknown): PreviewResult => ({ ok: false, message: e instanceof Error ? e.message : String(e) }),
    );
    fileCache.set(entry.id, hit);
  }
  return hit;
}

/** Forgets a failed fetch, so the next `filePreview` tries again. */
export function forgetFilePreview(id: string): void {
  fileCache.delete(id);
}
