/**
 * Copy and paste. The clipboard holds a valid `gradflow.model` file of the selected nodes and the
 * edges between them, so a copy pastes into another tab, into a text editor, or back as a file,
 * and a pasted model file goes through the same schema and migrations as any import.
 */
import { parseModel, serializeModel, type ModelDefinition } from '../../engine/model';
import { canvasPosition, fromModelDefinition, toModelDefinition, type GraphDocument } from './document';
import { freshId } from './operations';

/** The selected nodes and the edges among them, as model-file text (null when nothing is selected). */
export function copySelection(doc: GraphDocument, nodeIds: ReadonlySet<string>): string | null {
  if (nodeIds.size === 0) return null;
  const part: GraphDocument = {
    training: doc.training,
    nodes: doc.nodes.filter((n) => nodeIds.has(n.id)),
    edges: doc.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)),
  };
  return serializeModel(toModelDefinition(part));
}

export type ParsedClipboard = { ok: true; model: ModelDefinition } | { ok: false; reason: string };

/** Reads pasted text as a model; anything else is refused with what is wrong and where. */
export function parseClipboard(text: string): ParsedClipboard {
  const result = parseModel(text);
  if (result.ok) return { ok: true, model: result.model };
  const first = result.errors[0];
  const where = first?.path ? `${first.path}: ` : '';
  return { ok: false, reason: `The clipboard does not hold Gradflow layers (${where}${first?.message ?? 'unreadable'}).` };
}

/**
 * Adds a copied model's nodes and edges to the document under fresh ids, shifted by `offset`
 * (so a paste does not hide what it copied). Returns the new node ids, to select them.
 */
export function pasteModel(doc: GraphDocument, model: ModelDefinition, offset: { x: number; y: number }): { doc: GraphDocument; nodeIds: string[] } {
  const part = fromModelDefinition(model);
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of part.nodes) {
    const id = freshId(doc, 'n', taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  // Pasted positions are kept as a save keeps them (canvasPosition), so a paste near the canvas' edge saves as it shows.
  const nodes = part.nodes.map((n) => ({ ...n, id: rename.get(n.id)!, position: canvasPosition({ x: n.position.x + offset.x, y: n.position.y + offset.y }) }));
  const edges = part.edges.map((e) => {
    const id = freshId(doc, 'e', taken);
    taken.add(id);
    return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
  });
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, nodeIds: nodes.map((n) => n.id) };
}
