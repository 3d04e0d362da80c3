import { useEffect } from 'react';
import { graphStore } from '../state/graph';
import { ACTIONS, chordsOf, runAction, type Action } from './actions';
import { isTypingTarget, matchesChord } from './shortcuts';

function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** The action whose keys the event is, if any. */
export function actionForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): Action | undefined {
  return ACTIONS.find((a) => chordsOf(a).some((c) => matchesChord(c, event)));
}

/**
 * Runs the action list's keys. Copy, cut and paste go through the clipboard events, so they work
 * across tabs without a permission prompt.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target) || modalOpen()) return;
      const action = actionForKey(event);
      if (!action || 'clipboard' in action) return;
      // A chord that names an action is ours even when the action cannot run now (Ctrl+S on an
      // empty canvas must not open the browser's "Save page").
      event.preventDefault();
      runAction(action);
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
