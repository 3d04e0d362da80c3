/** Every keyboard shortcut, in one list: the handler and the `?` overlay both read it. */
export interface Shortcut {
  id: string;
  /** Display form, e.g. "Ctrl+Z". */
  keys: string;
  description: string;
  group: 'Edit' | 'View' | 'Training';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'undo', keys: 'Ctrl+Z', description: 'Undo', group: 'Edit' },
  { id: 'redo', keys: 'Ctrl+Shift+Z  or  Ctrl+Y', description: 'Redo', group: 'Edit' },
  { id: 'delete', keys: 'Delete  or  Backspace', description: 'Delete the selection', group: 'Edit' },
  { id: 'copy', keys: 'Ctrl+C', description: 'Copy the selected layers (as JSON, works across tabs)', group: 'Edit' },
  { id: 'cut', keys: 'Ctrl+X', description: 'Cut the selected layers', group: 'Edit' },
  { id: 'paste', keys: 'Ctrl+V', description: 'Paste layers or a model file', group: 'Edit' },
  { id: 'duplicate', keys: 'Ctrl+D', description: 'Duplicate the selected layers', group: 'Edit' },
  { id: 'selectAll', keys: 'Ctrl+A', description: 'Select everything', group: 'Edit' },
  { id: 'escape', keys: 'Escape', description: 'Clear the selection, close a dialog', group: 'Edit' },
  { id: 'multi', keys: 'Shift+click  or  Shift+drag', description: 'Add to the selection, or select with a box', group: 'Edit' },
  { id: 'add', keys: 'Double-click the canvas', description: 'Search for a layer to add there', group: 'Edit' },
  { id: 'search', keys: '/', description: 'Search the palette', group: 'View' },
  { id: 'fit', keys: 'F', description: 'Fit the graph in view', group: 'View' },
  { id: 'layout', keys: 'L', description: 'Tidy the graph (auto-layout)', group: 'View' },
  { id: 'shapes', keys: 'S', description: 'Show or hide the shapes on edges', group: 'View' },
  { id: 'help', keys: '?', description: 'Show this list', group: 'View' },
  { id: 'train', keys: 'Shift+Enter', description: 'Train, or pause training', group: 'Training' },
  { id: 'step', keys: '.', description: 'One training step', group: 'Training' },
];

/** Whether a key event comes from a text field (where shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
