import { beforeEach, describe, expect, it } from 'vitest';
import { dismissTabSync, inSyncAgain, overtakenByAnotherTab, reopenTabSync, useTabSync } from './tabSync';

const sync = () => useTabSync.getState().sync;

beforeEach(() => inSyncAgain());

describe('what a tab shows when another tab saved over it', () => {
  it('with nothing unsaved it is behind (a quiet offer); an edit then refused makes it a conflict (a question)', () => {
    overtakenByAnotherTab({ savedAt: 10, unsaved: false }, false);
    expect(sync()).toEqual({ state: 'behind', savedAt: 10, dismissed: false });
    overtakenByAnotherTab({ savedAt: 10, unsaved: true }, false);
    expect(sync()).toEqual({ state: 'conflict', savedAt: 10, dismissed: false });
  });

  it('a drag under way counts as unsaved changes', () => {
    overtakenByAnotherTab({ savedAt: 5, unsaved: false }, true);
    expect(sync()).toMatchObject({ state: 'conflict' });
  });

  it('a conflict set aside is not asked again by later refused saves, stays a conflict, and can be reopened', () => {
    overtakenByAnotherTab({ savedAt: 1, unsaved: true }, false);
    dismissTabSync();
    overtakenByAnotherTab({ savedAt: 2, unsaved: true }, false);
    overtakenByAnotherTab({ savedAt: 3, unsaved: false }, false);
    expect(sync()).toEqual({ state: 'conflict', savedAt: 3, dismissed: true });
    reopenTabSync();
    expect(sync()).toEqual({ state: 'conflict', savedAt: 3, dismissed: false });
  });
});
