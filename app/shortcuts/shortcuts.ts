/**
 * Key chords as the action list spells them ("Mod+Shift+Z", "?", "Shift+Enter"): how a chord is
 * shown, how it is announced (aria-keyshortcuts) and whether a key event is it. "Mod" is Ctrl, or
 * Cmd on a Mac.
 */

export interface KeyChord {
  /** KeyboardEvent.key, letters in lower case: "z", "?", "Enter", "Delete". */
  key: string;
  mod: boolean;
  shift: boolean;
}

export function parseChord(text: string): KeyChord {
  const parts = text.split('+');
  // "+" itself would be an empty last part; no action uses it.
  const key = parts.pop()!;
  if (key === '') throw new Error(`A key chord cannot end with "+": ${text}`);
  const mods = new Set(parts);
  for (const m of mods) if (m !== 'Mod' && m !== 'Shift') throw new Error(`Unknown modifier "${m}" in ${text}`);
  return { key: key.length === 1 ? key.toLowerCase() : key, mod: mods.has('Mod'), shift: mods.has('Shift') };
}

/** A printable key that is not a letter ("?", ".", "/", "["): which Shift makes it depends on the keyboard layout, so Shift is not compared. */
function layoutDependent(key: string): boolean {
  return key.length === 1 && key.toLowerCase() === key.toUpperCase();
}

/** How the chord reads on screen: "Ctrl+Shift+Z", "?", "F". */
export function chordLabel(chord: KeyChord): string {
  const key = chord.key.length === 1 ? chord.key.toUpperCase() : chord.key;
  return [chord.mod && 'Ctrl', chord.shift && 'Shift', key].filter(Boolean).join('+');
}

/** The chord for aria-keyshortcuts: "Control+Shift+Z". */
export function chordAria(chord: KeyChord): string {
  const key = chord.key.length === 1 ? chord.key.toUpperCase() : chord.key;
  return [chord.mod && 'Control', chord.shift && 'Shift', key].filter(Boolean).join('+');
}

/** One identity per physical chord, so two actions cannot claim the same keys. */
export function chordId(chord: KeyChord): string {
  return `${chord.mod ? 'mod+' : ''}${chord.shift && !layoutDependent(chord.key) ? 'shift+' : ''}${chord.key}`;
}

export function matchesChord(chord: KeyChord, event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  if (event.altKey) return false;
  if ((event.ctrlKey || event.metaKey) !== chord.mod) return false;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key !== chord.key) return false;
  return layoutDependent(chord.key) || event.shiftKey === chord.shift;
}

/** Whether a key event comes from a text field (where shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
