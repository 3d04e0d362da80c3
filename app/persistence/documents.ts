/**
 * Where documents come from and go to, in the app: autosave on every change (debounced) and
 * restore on start; share links; files. Opening a link or a file never silently replaces work:
 * with a non-empty graph on the canvas the user is asked first (and the old graph stays one
 * undo away). Anything unreadable is refused with a message and leaves the graph as it was.
 *
 * Tabs share the one saved document: when another tab saved over this one's (tabSync.ts), the user
 * loads theirs (`loadTheirVersion`) or downloads this tab's as a copy first (`keepMineAsCopy`).
 *
 * The uploaded CSV travels beside the document: kept in the browser (keptCsv.ts), written into an
 * exported file when the user asks (the Export dialog), restored from a file that carries it, and
 * never put in a share link.
 */
import { create } from 'zustand';
import { formatBytes } from '../../engine/data/csv';
import { MODEL_DATA_LIMITS, type ModelData } from '../../engine/model';
import type { GraphDocument } from '../graph/document';
import { canKeepCsv, restoreCsv, useCsvUpload } from '../state/csv';
import { CSV_DATASET_ID, csvDataOf } from '../state/csvReading';
import { graphStore } from '../state/graph';
import { training } from '../training/store';
import { useUi } from '../state/ui';
import { createAutosave, type Autosave, type UiState } from './autosave';
import { exportFileName, exportText, importFile } from './file';
import { adoptKeptCsv, keepCsvInBrowser, keepMyCsv, restoreKeptCsv } from './keptCsv';
import { compressShareWeights, decodeShareHash, encodeShareHash, MAX_SHARE_WEIGHTS_BYTES } from './share';
import { inSyncAgain, overtakenByAnotherTab } from './tabSync';

export interface PendingOpen {
  doc: GraphDocument;
  /** Where it comes from, for the question: "the link", "spiral.gradflow.json". */
  source: string;
  warnings: string[];
  /** The CSV the file carries (or only names, without its text). */
  data?: ModelData;
  /** The trained weights the file carries (a safetensors file): the run starts from them. */
  weights?: Uint8Array;
}

/** A document waiting for the user's yes (it would replace a non-empty graph). */
export const usePendingOpen = create<{ pending: PendingOpen | null }>()(() => ({ pending: null }));

/**
 * What Export writes: the model (`.gradflow.json`), the model with the run's weights embedded, the
 * weights alone (`.safetensors`), the run as a PyTorch project (`-pytorch.zip`) or as ONNX (`.onnx`).
 */
export type ExportContent = 'model' | 'modelWithWeights' | 'weights' | 'pytorch' | 'onnx';

/**
 * The Export dialog: open while the user chooses what to export and whether a model file includes
 * the CSV data. `includeCsv` is their last choice (saved with the view settings), `content` this
 * session's.
 */
export const useExportChoice = create<{ asking: boolean; includeCsv: boolean; content: ExportContent }>()(() => ({ asking: false, includeCsv: true, content: 'model' }));

let autosave: Autosave | null = null;

/**
 * Restores the saved document, then opens a share link in the URL (asking first if needed), then
 * keeps saving. Resolves to whether a saved graph was restored.
 */
export async function startDocuments(): Promise<boolean> {
  autosave = createAutosave({
    onError: (reason) => graphStore.getState().notify('error', `Autosave failed: ${reason}. Export your model to keep it.`),
    onOvertaken: (overtaken) => overtakenByAnotherTab(overtaken, graphStore.getState().gestureBase !== null),
  });
  // The CSV first: a document on 'csv' then compiles against it from its first render.
  const csvNotice = await restoreKeptCsv(autosave);
  const restored = await autosave.restore();
  const store = graphStore.getState();
  switch (restored.kind) {
    case 'restored':
      store.replaceDocument(restored.doc, 'reset');
      applySavedUi(restored.ui);
      break;
    case 'corrupt':
      store.notify('error', `Your saved graph could not be read (${restored.reason}). It was set aside in the browser's storage as “${restored.setAsideKey}”, and Gradflow started with an empty canvas.`);
      break;
    case 'unavailable':
      store.notify('error', `The browser's storage is not available (${restored.reason}), so changes will not be kept across reloads. Export your model to keep it.`);
      break;
    case 'empty':
      break;
  }
  if (csvNotice) store.notify('error', csvNotice);
  keepCsvInBrowser(autosave);

  openShareLink(window.location.hash);
  window.addEventListener('hashchange', () => openShareLink(window.location.hash));

  graphStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc && !state.gestureBase) save();
    else if (previous.gestureBase && !state.gestureBase) save();
  });
  useUi.subscribe((state, previous) => {
    if (state.showEdgeShapes !== previous.showEdgeShapes) save();
  });
  useExportChoice.subscribe((state, previous) => {
    if (state.includeCsv !== previous.includeCsv) save();
  });
  window.addEventListener('pagehide', () => void autosave?.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void autosave?.flush();
  });
  return restored.kind === 'restored';
}

function applySavedUi(ui: UiState | undefined): void {
  if (typeof ui?.showEdgeShapes === 'boolean') useUi.getState().setShowEdgeShapes(ui.showEdgeShapes);
  if (typeof ui?.includeCsvData === 'boolean') useExportChoice.setState({ includeCsv: ui.includeCsvData });
}

/**
 * Another tab saved over this tab's version (tabSync.ts): this tab takes the saved version. Its
 * own stays one undo away; `said` replaces the notice that says so.
 */
export async function loadTheirVersion(said?: string): Promise<void> {
  if (!autosave) return;
  const latest = await autosave.loadLatest();
  // Their CSV first, as at start: a document on 'csv' then compiles against it at once.
  const csvNotice = latest.kind === 'restored' ? await adoptKeptCsv(autosave) : null;
  const store = graphStore.getState();
  switch (latest.kind) {
    case 'restored':
      inSyncAgain();
      store.replaceDocument(latest.doc);
      applySavedUi(latest.ui);
      store.notify('info', said ?? 'This tab now shows the version saved in the other tab. Undo (Ctrl+Z) brings back the one you had here.');
      if (csvNotice) store.notify('error', csvNotice);
      break;
    case 'empty': // the other tab's save was cleared: this tab's version is the one to keep
      inSyncAgain();
      keepMyCsv(autosave);
      save();
      store.notify('info', 'The other tab’s save is gone, so this tab’s version is saved instead.');
      break;
    case 'corrupt':
      inSyncAgain();
      keepMyCsv(autosave);
      save();
      store.notify('error', `The other tab’s save could not be read (${latest.reason}). It was set aside in the browser's storage as “${latest.setAsideKey}”, and this tab’s version is saved instead.`);
      break;
    case 'unavailable':
      store.notify('error', `The other tab’s save could not be loaded: ${latest.reason}. Export your model to keep it.`);
      break;
  }
}

/** This tab's version as a downloaded file (the copy), then the other tab's save here. Nothing is overwritten. */
export async function keepMineAsCopy(): Promise<void> {
  const doc = graphStore.getState().doc;
  const fileName = copyFileName(doc);
  downloadText(exportText(doc, csvForExport(doc, useExportChoice.getState().includeCsv)), fileName);
  await loadTheirVersion(`Your version was downloaded as ${fileName}. This tab now shows the version saved in the other tab; open the file (or press Undo) to go back to yours.`);
}

/** The file a kept copy is downloaded as: "Spiral MLP" → spiral-mlp-copy.gradflow.json. */
export function copyFileName(doc: Pick<GraphDocument, 'name'>): string {
  return exportFileName({ name: `${doc.name ?? 'model'} copy` });
}

function save(): void {
  autosave?.schedule(graphStore.getState().doc, { showEdgeShapes: useUi.getState().showEdgeShapes, includeCsvData: useExportChoice.getState().includeCsv });
}

/** Writes any pending save now (tests and page unload). */
export function flushAutosave(): Promise<unknown> {
  return autosave?.flush() ?? Promise.resolve();
}

/** Offers the model a link's hash carries; a link that cannot be opened is said so, and the graph is left as it was. */
export function openShareLink(hash: string): void {
  const decoded = decodeShareHash(hash);
  if (decoded === null) return;
  // The model now lives in the document; a reload should not offer it again.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!decoded.ok) {
    // The message is a whole sentence already ("This share link cannot be opened: …").
    graphStore.getState().notify('error', `${decoded.message} Your graph was not changed.`);
    return;
  }
  offer({ doc: decoded.doc, source: 'the shared link', warnings: decoded.warnings, ...(decoded.weights ? { weights: decoded.weights } : {}) });
}

/** Opens a document, asking first when it would replace a non-empty graph. */
export function offer(open: PendingOpen): void {
  const current = graphStore.getState().doc;
  // With weights it is not the same: opening it starts the run from them (asking first).
  if (!open.weights && current.nodes.length > 0 && exportText(current) === exportText(open.doc)) {
    const source = open.source === 'the shared link' ? 'The shared link' : open.source;
    const csv = openCsvData(open.data);
    graphStore.getState().notify('info', `${source} holds the graph that is already open.${csv ? ` ${csv}` : ''}`);
    return;
  }
  if (current.nodes.length === 0) confirmOpen(open);
  else usePendingOpen.setState({ pending: open });
}

/**
 * Opens a document in place of the current one (which stays one undo away); with weights, its run
 * then starts from them, and the notice says so once they are in (or why they are not).
 */
export function confirmOpen(open: PendingOpen): Promise<void> {
  usePendingOpen.setState({ pending: null });
  const store = graphStore.getState();
  const hadWork = store.doc.nodes.length > 0;
  store.replaceDocument(open.doc);
  const csv = openCsvData(open.data);
  const name = open.doc.name ? `“${open.doc.name}”` : 'the model';
  const warnings = open.warnings.length > 0 ? ` Note: ${open.warnings.join('; ')}.` : '';
  const said = (weights: string) =>
    `Opened ${name} from ${open.source}.${csv ? ` ${csv}` : ''}${weights}${hadWork ? ' Undo (Ctrl+Z) brings your previous graph back.' : ''}${warnings}`;
  requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
  if (!open.weights) {
    store.notify('info', said(''));
    return Promise.resolve();
  }
  store.notify('info', `Opening ${name} from ${open.source} and loading its trained weights…`);
  return training.importWeights(open.weights).then((result) => {
    if (result.ok) store.notify('info', said(` Its run starts from the trained weights it carries (${result.loaded} tensor${result.loaded === 1 ? '' : 's'}).`));
    else store.notify('error', said(` Its trained weights were not loaded (${result.problems.join('; ')}), so it starts from fresh weights; open the file again once the model can train.`));
  });
}

/** Makes a file's CSV the uploaded one; says what happened, or which CSV the model wants when the file only names it. */
function openCsvData(data: ModelData | undefined): string | null {
  if (!data) return null;
  if (data.text !== undefined) {
    restoreCsv({ ...data, text: data.text });
    return `Its CSV data (${data.name}) is now the uploaded CSV.`;
  }
  if (useCsvUpload.getState().reading?.fileName === data.name) return null;
  const label = data.labelColumn ? `, predicting '${data.labelColumn}'` : '';
  return `It was built on ${data.name}${label}, which the file does not include: upload it under Dataset to train.`;
}

export function declineOpen(): void {
  usePendingOpen.setState({ pending: null });
}

/** Reads a dropped or picked file; a bad one is refused with where and what, and nothing changes. */
export async function openFile(file: File): Promise<void> {
  if (file.name.toLowerCase().endsWith('.safetensors')) {
    await openWeights(file);
    return;
  }
  const result = await importFile(file);
  if (!result.ok) {
    graphStore.getState().notify('error', `${result.message}. Your graph was not changed.`);
    return;
  }
  offer({ doc: result.doc, source: file.name, warnings: result.warnings, ...(result.data ? { data: result.data } : {}), ...(result.weights ? { weights: result.weights } : {}) });
}

/** The largest weights file opened: as large as a model file may embed (the engine's 20M-parameter budget, plus the header). */
const WEIGHTS_FILE_LIMIT = MODEL_DATA_LIMITS.weightsBytes;

/**
 * Opens a .safetensors file onto the current graph: its run starts afresh from those weights (names
 * and shapes must match; every mismatch is listed and nothing changes otherwise).
 */
async function openWeights(file: File): Promise<void> {
  const { notify, doc } = graphStore.getState();
  if (doc.nodes.length === 0) {
    notify('error', `${file.name} holds weights, and there is no graph to put them in: open or build the model first.`);
    return;
  }
  if (file.size > WEIGHTS_FILE_LIMIT) {
    notify('error', `${file.name} is ${(file.size / 1024 / 1024).toFixed(0)} MB, more than the ${WEIGHTS_FILE_LIMIT / 1024 / 1024} MB of weights Gradflow trains. Your graph and its run were not changed.`);
    return;
  }
  const result = await training.importWeights(new Uint8Array(await file.arrayBuffer()));
  if (!result.ok) {
    notify('error', `${file.name} cannot be used: ${result.problems.join('; ')}. Your graph and its run were not changed.`);
    return;
  }
  notify('info', `Loaded ${result.loaded} tensors from ${file.name}: the run starts from these weights.`);
}

/** Downloads the loaded run's weights as a .safetensors file (or says why there are none). */
export async function exportWeights(): Promise<void> {
  const doc = graphStore.getState().doc;
  const result = await training.exportWeights();
  if ('error' in result) {
    graphStore.getState().notify('info', result.error);
    return;
  }
  downloadBlob(new Blob([result.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), exportedFileName(doc, 'weights'));
}

/** Opens the Export dialog: what to export (model, model + weights, weights, PyTorch, ONNX), and whether a model file carries the CSV. */
export function exportDocument(): void {
  useExportChoice.setState({ asking: true });
}

/**
 * Downloads what the Export dialog chose. A model file on the uploaded CSV always names it (file
 * name, label column, task: the model's output depends on them) and carries its text when
 * `includeCsv` and it fits; with weights, it embeds the loaded run's (or says why there are none,
 * and downloads nothing).
 */
export async function downloadDocument(includeCsv: boolean, content: ExportContent = 'model'): Promise<void> {
  useExportChoice.setState({ asking: false });
  if (content === 'weights') return exportWeights();
  const doc = graphStore.getState().doc;
  if (content === 'pytorch' || content === 'onnx') {
    const result = await training.exportModel(content, baseName(doc));
    if ('error' in result) {
      graphStore.getState().notify('info', result.error);
      return;
    }
    const bytes = result.bytes as Uint8Array<ArrayBuffer>;
    downloadBlob(new Blob([bytes], { type: content === 'onnx' ? 'application/octet-stream' : 'application/zip' }), exportedFileName(doc, content));
    return;
  }
  let weights: Uint8Array | undefined;
  if (content === 'modelWithWeights') {
    const result = await training.exportWeights();
    if ('error' in result) {
      graphStore.getState().notify('info', result.error);
      return;
    }
    weights = result.bytes;
  }
  downloadText(exportText(doc, csvForExport(doc, includeCsv), weights), exportFileName(doc));
}

/** The document's file name without the extension: "Spiral MLP" → spiral-mlp. */
function baseName(doc: Pick<GraphDocument, 'name'>): string {
  return exportFileName(doc).replace(/\.gradflow\.json$/, '');
}

/** The file each export downloads as. */
export function exportedFileName(doc: Pick<GraphDocument, 'name'>, content: ExportContent): string {
  switch (content) {
    case 'model':
    case 'modelWithWeights':
      return exportFileName(doc);
    case 'weights':
      return `${baseName(doc)}.safetensors`;
    case 'pytorch':
      return `${baseName(doc)}-pytorch.zip`;
    case 'onnx':
      return `${baseName(doc)}.onnx`;
  }
}

/** The CSV a file of `doc` names (or carries, when `includeCsv` and it fits), or nothing off the uploaded CSV. */
function csvForExport(doc: GraphDocument, includeCsv: boolean): ModelData | undefined {
  const reading = useCsvUpload.getState().reading;
  return doc.training.dataset === CSV_DATASET_ID && reading ? csvDataOf(reading, includeCsv && canKeepCsv(reading)) : undefined;
}

function downloadText(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'application/json' }), fileName);
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The share link of the current document, with its run's weights when a run of it is loaded (it
 * was trained, stepped, or opened with weights) and they compress to what a link carries;
 * `weights` says which.
 */
export async function shareLink(): Promise<{ link: string; weights: 'none' | 'included' | { tooLarge: number } }> {
  const doc = graphStore.getState().doc;
  const base = `${window.location.origin}${window.location.pathname}`;
  const exported = await training.exportWeights();
  if ('error' in exported) return { link: `${base}${encodeShareHash(doc)}`, weights: 'none' };
  const compressed = compressShareWeights(exported.bytes);
  if (!compressed.fits) return { link: `${base}${encodeShareHash(doc)}`, weights: { tooLarge: compressed.zlib.length } };
  return { link: `${base}${encodeShareHash(doc, compressed)}`, weights: 'included' };
}

/** Copies the share link to the clipboard (or shows it, where the clipboard is refused). */
export async function copyShareLink(): Promise<void> {
  const { link, weights } = await shareLink();
  const carries = weights === 'included' ? 'this model and its trained weights' : 'this model';
  const tooLarge =
    typeof weights === 'object'
      ? ` Its trained weights (${formatBytes(weights.tooLarge)} compressed) are more than the ${formatBytes(MAX_SHARE_WEIGHTS_BYTES)} a link carries: share them with Export → Model + trained weights.`
      : '';
  try {
    await navigator.clipboard.writeText(link);
    graphStore.getState().notify('info', `Link copied (${link.length.toLocaleString('en-US')} characters). Anyone who opens it gets ${carries}.${tooLarge}${csvNotInLink()}`);
  } catch {
    graphStore.getState().notify('info', `Copy this link to share ${carries}: ${link}${tooLarge}${csvNotInLink()}`);
  }
}

/** Links never carry the CSV (see share.ts): said whenever the model is on one. */
function csvNotInLink(): string {
  const name = useCsvUpload.getState().reading?.fileName;
  if (graphStore.getState().doc.training.dataset !== CSV_DATASET_ID || !name) return '';
  return ` It does not carry your CSV (${name}): whoever opens it uploads their own, or use Export with the CSV data to share both.`;
}
