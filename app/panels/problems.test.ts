import { describe, expect, it } from 'vitest';
import type { CompileIssue } from '../../engine/compiler/types';
import { uniqueErrors } from './TrainingPanel';

const issue = (message: string, where: { nodeId?: string; edgeId?: string }, severity: CompileIssue['severity'] = 'error') => ({ message, severity, ...where }) as CompileIssue;

describe('the training panel’s problem list', () => {
  it('drops the copy of a layer’s input problem on the edge into it, but keeps the same words on two layers', () => {
    const targets: Record<string, string> = { e1: 'out', e2: 'd2' };
    const issues = [
      issue('The output gets 32 values per sample.', { nodeId: 'out' }),
      issue('The output gets 32 values per sample.', { edgeId: 'e1' }),
      issue('Units: must be at least 1.', { nodeId: 'd1' }),
      issue('Units: must be at least 1.', { nodeId: 'd2' }),
      issue('This edge closes a loop.', { edgeId: 'e2' }),
      issue('Not connected to the output.', { nodeId: 'x' }, 'warning'),
    ];
    const kept = uniqueErrors(issues, (id) => targets[id]);
    expect(kept.map((i) => i.nodeId ?? i.edgeId)).toEqual(['out', 'd1', 'd2', 'e2']);
  });
});
