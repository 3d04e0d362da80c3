/** Documents for the persistence tests (not a test file itself). */
import spiralMlp from '../../examples/spiral-mlp.json';
import { parseModelObject } from '../../engine/model';
import { fromModelDefinition, type GraphDocument } from '../graph/document';

/** The 7-node spiral MLP example, as the canvas would hold it. */
export function spiralDocument(): GraphDocument {
  const parsed = parseModelObject(spiralMlp);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return fromModelDefinition(parsed.model);
}

/** Positions on the 0.1 grid the model file keeps (toModelDefinition rounds to it). */
const POSITIONS = [
  { x: 40.5, y: -42.7 },
  { x: 260, y: 120.1 },
  { x: -480.3, y: 0 },
  { x: 700.9, y: 1e4 },
  { x: 920.2, y: -0.1 },
  { x: 1140, y: 33.3 },
  { x: 1360.7, y: 120 },
];

/** A document using every field: labels, a description, non-integer and negative positions, array and boolean params, optional training settings. */
export function richDocument(): GraphDocument {
  const base = spiralDocument();
  return {
    ...base,
    name: 'Réseau « spirale » 2',
    description: 'Line one\nline "two"',
    nodes: base.nodes.map((n, i) => ({
      ...n,
      ...(i === 1 ? { label: 'hidden 1', params: { units: 16, useBias: false, kernelInitializer: 'he_normal' } } : {}),
      ...(i === 3 ? { params: { ...n.params, targetShape: [2, -1] } } : {}),
      position: POSITIONS[i] ?? { x: 0, y: 0 },
    })),
    training: { ...base.training, optimizer: 'momentum', momentum: 0.9, clipNorm: 1.5, learningRate: 0.003, batchSize: 64, epochs: 7, seed: -3, l2: 0.0001, testFraction: 0.25 },
  };
}
