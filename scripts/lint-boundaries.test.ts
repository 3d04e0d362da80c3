import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The engine is pure and the UI depends on it, never the reverse: lint must refuse the reverse.
const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('refuses app/ and worker/ imports inside engine/', async () => {
    const messages = await restrictedImports('engine/ops/probe.ts', [
      "import { App } from '../../app/App';",
      "import { SLICE_MS } from '../../worker/protocol';",
      'export const x = [App, SLICE_MS];',
    ].join('\n'));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('engine/ and worker/ must not import from app/');
    expect(messages[1]).toContain('engine/ must not import from worker/');
  });

  it('refuses UI libraries inside engine/ and app/ imports inside worker/', async () => {
    expect(await restrictedImports('engine/probe.ts', "import { useState } from 'react';\nexport const s = useState;")).toHaveLength(1);
    expect(await restrictedImports('worker/probe.ts', "import { App } from '../app/App';\nexport const a = App;")).toHaveLength(1);
  });

  it('refuses view folders inside the app’s state and training code, and allows the views to read state', async () => {
    const messages = await restrictedImports('app/training/probe.ts', "import { csvStore } from '../panels/training/csvStore';\nexport const c = csvStore;");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('views read state, not the reverse');
    expect(await restrictedImports('app/state/probe.ts', "import { Button } from '../ui/Button';\nexport const b = Button;")).toHaveLength(1);
    expect(await restrictedImports('app/panels/probe.ts', "import { useTraining } from '../training/store';\nexport const u = useTraining;")).toEqual([]);
  });

  it('allows the engine to import itself and the app to import the engine', async () => {
    expect(await restrictedImports('engine/ops/probe.ts', "import { Tape } from '../core/tape';\nexport const t = Tape;")).toEqual([]);
    expect(await restrictedImports('app/probe.ts', "import { Tape } from '../engine/core/tape';\nexport const t = Tape;")).toEqual([]);
  });
});
