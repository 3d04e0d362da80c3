import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ACTIONS, actionHint, chordsOf } from './actions';
import { ShortcutsDialog } from './ShortcutsDialog';
import { chordId, chordLabel, parseChord } from './shortcuts';
import { actionForKey } from './useShortcuts';

const key = (k: string, mods: Partial<Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('the action list', () => {
  it('gives no two actions the same keys', () => {
    const owner = new Map<string, string>();
    for (const action of ACTIONS) {
      for (const chord of chordsOf(action)) {
        const id = chordId(chord);
        expect(owner.get(id), `${chordLabel(chord)} is claimed by ${owner.get(id)} and ${action.id}`).toBeUndefined();
        owner.set(id, action.id);
      }
    }
    expect(owner.size).toBeGreaterThan(20);
  });

  it('lists every action that has keys in the ? overlay, with each of its keys', () => {
    const html = renderToStaticMarkup(<ShortcutsDialog />);
    const withKeys = ACTIONS.filter((a) => chordsOf(a).length > 0);
    expect(withKeys.length).toBeGreaterThan(20);
    for (const action of withKeys) {
      const row = new RegExp(`<div[^>]*data-action="${action.id}"[^>]*>(.*?)</div>`).exec(html);
      expect(row, `${action.id} is missing from the overlay`).not.toBeNull();
      expect(row![1]).toContain(action.description);
      for (const chord of chordsOf(action)) expect(row![1]).toContain(`>${chordLabel(chord)}</kbd>`);
    }
  });

  it('runs the action whose keys were pressed, with Shift told apart on letters but not on symbols', () => {
    expect(actionForKey(key('z', { ctrlKey: true }))?.id).toBe('undo');
    expect(actionForKey(key('Z', { ctrlKey: true, shiftKey: true }))?.id).toBe('redo');
    expect(actionForKey(key('y', { metaKey: true }))?.id).toBe('redo');
    expect(actionForKey(key('f'))?.id).toBe('fitView');
    expect(actionForKey(key('F', { shiftKey: true }))).toBeUndefined();
    expect(actionForKey(key('m'))?.id).toBe('toggleMonitor');
    expect(actionForKey(key('M', { shiftKey: true }))?.id).toBe('minimap');
    expect(actionForKey(key('?', { shiftKey: true }))?.id).toBe('shortcuts');
    expect(actionForKey(key('Enter', { shiftKey: true }))?.id).toBe('trainOrPause');
    expect(actionForKey(key('Enter'))).toBeUndefined();
    expect(actionForKey(key('f', { altKey: true }))).toBeUndefined();
  });

  it('gives buttons the same keys in their tooltip and aria-keyshortcuts', () => {
    expect(actionHint('redo')).toEqual({ title: 'Redo what was undone (Ctrl+Shift+Z or Ctrl+Y)', 'aria-keyshortcuts': 'Control+Shift+Z Control+Y' });
    expect(actionHint('share')).toEqual({ title: 'Copy a link that carries this model' });
  });

  it('refuses a chord it cannot read', () => {
    expect(() => parseChord('Alt+F')).toThrow(/Unknown modifier/);
    expect(parseChord('Mod+Shift+Z')).toEqual({ key: 'z', mod: true, shift: true });
  });
});
