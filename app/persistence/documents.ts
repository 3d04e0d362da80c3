/**
 * Where documents come from and go to, in the app: autosave on every change (debounced) and
 * restore on start; share links; files. Opening a link or a file never silently replaces work:
 * with a non-empty graph on the canvas the user is asked first (and the old graph stays one
 * undo away). Anything unreadable is refused with a message and leaves the graph as it was.
 */
import { create } from 'zustand';
import type { GraphDocument } from '../graph/document';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { createAutosave, type Autosave } from './autosave';
import { exportFileName, exportText, importFile } from './file';
import { decodeShareHash, encodeShareHash } from './share';

export interface PendingOpen {
  doc: GraphDocument;
  /** Where it comes from, for the question: "the link", "spiral.gradflow.json". */
  source: string;
  warnings: string[];
}

/** A document waiting for the user's yes (it would replace a non-empty graph). */
export const usePendingOpen = create<{ pending: PendingOpen | null }>()(() => ({ pending: null }));

let autosave: Autosave | null = null;

/**
 * Restores the saved document, then opens a share link in the URL (asking first if needed), then
 * keeps saving. Resolves to whether a saved graph was restored.
 */
export async function startDocuments(): Promise<boolean> {
  autosave = createAutosave({ onError: (reason) => graphStore.getState().notify('error', `Autosave failed: ${reason}. Export your model to keep it.`) });
  const restored = await autosave.restore();
  const store = graphStore.getState();
  switch (restored.kind) {
    case 'restored':
      store.replaceDocument(restored.doc, 'reset');
      if (typeof restored.ui?.showEdgeShapes === 'boolean') useUi.getState().setShowEdgeShapes(restored.ui.showEdgeShapes);
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

  openShareLink(window.location.hash);
  window.addEventListener('hashchange', () => openShareLink(window.location.hash));

  graphStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc && !state.gestureBase) save();
    else if (previous.gestureBase && !state.gestureBase) save();
  });
  useUi.subscribe((state, previous) => {
    if (state.showEdgeShapes !== previous.showEdgeShapes) save();
  });
  window.addEventListener('pagehide', () => void autosave?.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void autosave?.flush();
  });
  return restored.kind === 'restored';
}

function save(): void {
  autosave?.schedule(graphStore.getState().doc, { showEdgeShapes: useUi.getState().showEdgeShapes });
}

/** Writes any pending save now (tests and page unload). */
export function flushAutosave(): Promise<unknown> {
  return autosave?.flush() ?? Promise.resolve();
}

function openShareLink(hash: string): void {
  const decoded = decodeShareHash(hash);
  if (decoded === null) return;
  // The model now lives in the document; a reload should not offer it again.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!decoded.ok) {
    graphStore.getState().notify('error', `The shared link could not be opened: ${decoded.message}. Your graph was not changed.`);
    return;
  }
  offer({ doc: decoded.doc, source: 'the shared link', warnings: decoded.warnings });
}

/** Opens a document, asking first when it would replace a non-empty graph. */
export function offer(open: PendingOpen): void {
  const current = graphStore.getState().doc;
  if (current.nodes.length > 0 && exportText(current) === exportText(open.doc)) {
    graphStore.getState().notify('info', `${open.source === 'the shared link' ? 'The shared link' : open.source} holds the graph that is already open.`);
    return;
  }
  if (current.nodes.length === 0) confirmOpen(open);
  else usePendingOpen.setState({ pending: open });
}

export function confirmOpen(open: PendingOpen): void {
  usePendingOpen.setState({ pending: null });
  const store = graphStore.getState();
  const hadWork = store.doc.nodes.length > 0;
  store.replaceDocument(open.doc);
  const name = open.doc.name ? `“${open.doc.name}”` : 'the model';
  const warnings = open.warnings.length > 0 ? ` Note: ${open.warnings.join('; ')}.` : '';
  store.notify('info', `Opened ${name} from ${open.source}.${hadWork ? ' Undo (Ctrl+Z) brings your previous graph back.' : ''}${warnings}`);
  requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
}

export function declineOpen(): void {
  usePendingOpen.setState({ pending: null });
}

/** Reads a dropped or picked file; a bad one is refused with where and what, and nothing changes. */
export async function openFile(file: File): Promise<void> {
  const result = await importFile(file);
  if (!result.ok) {
    graphStore.getState().notify('error', `${result.message}. Your graph was not changed.`);
    return;
  }
  offer({ doc: result.doc, source: file.name, warnings: result.warnings });
}

/** Downloads the document as a .gradflow.json file. */
export function exportDocument(): void {
  const doc = graphStore.getState().doc;
  const blob = new Blob([exportText(doc)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(doc);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The share link of the current document. */
export function shareLink(): string {
  return `${window.location.origin}${window.location.pathname}${encodeShareHash(graphStore.getState().doc)}`;
}

/** Copies the share link to the clipboard (or shows it, where the clipboard is refused). */
export async function copyShareLink(): Promise<void> {
  const link = shareLink();
  try {
    await navigator.clipboard.writeText(link);
    graphStore.getState().notify('info', `Link copied (${link.length.toLocaleString('en-US')} characters). Anyone who opens it gets this model.`);
  } catch {
    graphStore.getState().notify('info', `Copy this link to share the model: ${link}`);
  }
}
