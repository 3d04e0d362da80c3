import { describe, expect, it } from 'vitest';
import mnistCnn from '../../examples/mnist-cnn.json';
import { parseModelObject } from '../../engine/model';
import { fromModelDefinition, type GraphDocument } from '../graph/document';
import { compiledOf } from './compiled';

function mnistCnnDocument(): GraphDocument {
  const parsed = parseModelObject(mnistCnn);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  return fromModelDefinition(parsed.model);
}

describe('compiledOf', () => {
  it('recompiles when the batch size changes, since the memory budget counts buffers per sample', () => {
    const doc = mnistCnnDocument();
    // 512 filters on every pixel of a 28×28 image: within budget for a few samples, not for thousands.
    const wide = { ...doc, nodes: doc.nodes.map((n) => (n.type === 'conv2d' ? { ...n, params: { ...n.params, filters: 512 } } : n)) };
    const few = compiledOf({ ...wide, training: { ...wide.training, batchSize: 2 } });
    expect(few.errorCount).toBe(0);
    const many = compiledOf({ ...wide, training: { ...wide.training, batchSize: 4096 } });
    expect(many.errorCount).toBe(1);
    expect(many.graph.issues[0]!.message).toMatch(/^Training this model needs about [\d.]+ GB of memory at batch size 4096;/);
  });
});
