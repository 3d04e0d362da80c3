import { useEffect } from 'react';
import { layoutDocument } from '../graph/layout';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { training, useTraining } from '../training/store';
import { isTypingTarget } from './shortcuts';

/** Asks the canvas to fit the graph in view (the canvas owns the React Flow instance). */
export function requestFitView(): void {
  requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
}

/** Tidies the graph with auto-layout, as one undoable step. */
export function tidyLayout(): void {
  const store = graphStore.getState();
  if (store.doc.nodes.length === 0) return;
  store.replaceDocument(layoutDocument(store.doc));
  requestFitView();
}

function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/**
 * The app's keyboard shortcuts (listed in shortcuts.ts and the `?` overlay). Copy, cut and paste
 * go through the clipboard events, so they work across tabs without a permission prompt.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target) || modalOpen()) return;
      const store = graphStore.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z') {
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') store.redo();
      else if (mod && key === 'a') store.selectAll();
      else if (mod && key === 'd') store.duplicate();
      else if (mod || event.altKey) handled = false;
      else if (event.key === 'Delete' || event.key === 'Backspace') store.removeSelected();
      else if (event.key === 'Escape') store.clearSelection();
      else if (event.key === '?') useUi.getState().openDialog('shortcuts');
      else if (event.key === 'Enter' && event.shiftKey) {
        if (useTraining.getState().status === 'training') void training.pause();
        else void training.train();
      } else if (event.key === '.') void training.step(1);
      else if (key === 'f' && !event.shiftKey) requestFitView();
      else if (key === 'l' && !event.shiftKey) tidyLayout();
      else if (key === 's' && !event.shiftKey) useUi.getState().setShowEdgeShapes(!useUi.getState().showEdgeShapes);
      else handled = false;
      if (handled) event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (isTypingTarget(event.target) || modalOpen() || hasTextSelection()) return;
      const store = graphStore.getState();
      const text = store.copy();
      if (!text || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
      if (cut) store.removeSelected();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTypingTarget(event.target) || modalOpen()) return;
      const text = event.clipboardData?.getData('text/plain');
      if (!text) return;
      event.preventDefault();
      graphStore.getState().paste(text);
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}

function hasTextSelection(): boolean {
  const s = window.getSelection();
  return s !== null && !s.isCollapsed && s.toString().trim() !== '';
}
