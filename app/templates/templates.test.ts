import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/compiler/compile';
import { describeBuiltinDataset } from '../../engine/data';
import { fromModelDefinition } from '../graph/document';
import { findTemplate, TEMPLATES } from './templates';

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s opens as a document that compiles without errors, laid out', (_id, template) => {
    const doc = fromModelDefinition(template.model);
    const compiled = compile(doc, describeBuiltinDataset(doc.training.dataset, doc.training.datasetOptions ?? {}));
    expect(compiled.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length);
    expect(template.lesson.length).toBeGreaterThan(10);
  });

  it('include the vanishing-gradient pair', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(expect.arrayContaining(['deep-sigmoid', 'deep-relu-he']));
  });

  it('include the sequence examples, and the long-memory pair points each at the other', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(expect.arrayContaining(['sine-rnn', 'char-lstm', 'tiny-transformer', 'memory-rnn', 'memory-lstm']));
    const rnn = findTemplate('memory-rnn')!;
    const lstm = findTemplate('memory-lstm')!;
    expect(rnn.lesson).toContain(lstm.name);
    expect(lstm.lesson).toContain(rnn.name);
    // Same network and settings; only the recurrent layer differs.
    expect(rnn.model.training).toEqual(lstm.model.training);
    expect(rnn.model.nodes.map((n) => (n.type === 'rnn' ? 'lstm' : n.type))).toEqual(lstm.model.nodes.map((n) => n.type));
  });
});
