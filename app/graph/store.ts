/**
 * The graph store: the document being edited, the selection, and undo history, where one user
 * action is one step (a paste, a multi-delete, a whole drag). A vanilla zustand store, so tests
 * drive it headless; components read it through selectors (`useGraph`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ParamValue } from '../../engine/layers/types';
import type { TrainingSettings } from '../../engine/model/schema';
import { copySelection, parseClipboard, pasteModel } from './clipboard';
import { getLayer } from '../../engine/layers/registry';
import { emptyDocument, type GraphDocument, type Position } from './document';
import * as ops from './operations';
import * as placement from './placement';

/** How many steps undo remembers. */
export const HISTORY_LIMIT = 200;
/** How far a paste or duplicate lands from what it copied. */
export const PASTE_OFFSET = { x: 40, y: 40 } as const;

export type Link = { source: string } | { target: string; targetSlot: number };

export interface Selection {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface GraphState {
  doc: GraphDocument;
  selection: Selection;
  past: readonly GraphDocument[];
  future: readonly GraphDocument[];
  /** The last message for the user (a refused edit, a restored document). */
  notice: Notice | null;
  /** The document when the current gesture (a drag) began, or null. */
  gestureBase: GraphDocument | null;

  /**
   * Adds a layer (selected). With `link`, also wires it to an existing node's output (`source`)
   * or into an existing node's input (`target`, `targetSlot`), in the same undo step.
   */
  addNode(type: string, position: Position, link?: Link): string | null;
  /**
   * Adds a layer from the palette after the selected layer (or the last one added), wired from it
   * when that connection is valid, or at `centre` on an empty graph; selects it, so repeated
   * adds build a chain. One undo step. `sizeOf` gives measured node sizes, to avoid overlaps.
   */
  placeLayer(type: string, centre: Position, sizeOf?: placement.SizeOf): string | null;
  /**
   * Inserts a new layer into an edge (source → new → target), making room for it, as one undo
   * step; when either connection would be refused it adds the layer unwired at `position` and says why.
   */
  insertOnEdge(type: string, edgeId: string, position: Position, sizeOf?: placement.SizeOf): string | null;
  connect(c: ops.Connection): boolean;
  /** Why a connection would be refused, or null (for React Flow's isValidConnection). */
  connectionProblem(c: ops.Connection): string | null;
  remove(nodeIds: Iterable<string>, edgeIds?: Iterable<string>): void;
  removeSelected(): void;
  beginGesture(): void;
  moveNodes(positions: ReadonlyMap<string, Position>): void;
  endGesture(): void;
  /** Sets a layer parameter; returns the reason when the value is refused (and nothing changes). */
  setParam(nodeId: string, name: string, value: ParamValue): string | null;
  setLabel(nodeId: string, label: string): void;
  setTraining(patch: Partial<TrainingSettings>): void;
  select(selection: { nodes?: Iterable<string>; edges?: Iterable<string> }, mode?: 'replace' | 'add' | 'toggle'): void;
  selectAll(): void;
  clearSelection(): void;
  /** The selection as clipboard text, or null when no node is selected. */
  copy(): string | null;
  /** Pastes clipboard text; refused text leaves the graph as it was and sets a notice. */
  paste(text: string, offset?: Position): boolean;
  duplicate(): void;
  undo(): void;
  redo(): void;
  /** Replaces the whole document (template, import, restore) as one undoable step, or with fresh history. */
  replaceDocument(doc: GraphDocument, history?: 'keep' | 'reset'): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(): void;
}

const NO_SELECTION: Selection = { nodes: new Set(), edges: new Set() };
let noticeCounter = 0;

export function createGraphStore(initial: GraphDocument = emptyDocument()): StoreApi<GraphState> {
  return createStore<GraphState>()((set, get) => {
    /** Applies an edit as one undo step (or folds it into the running gesture). */
    const commit = (next: GraphDocument, selection?: Selection): void => {
      const { doc, past, gestureBase } = get();
      if (next === doc) {
        if (selection) set({ selection });
        return;
      }
      if (gestureBase) {
        set({ doc: next, ...(selection ? { selection } : {}) });
        return;
      }
      set({
        doc: next,
        past: [...past, doc].slice(-HISTORY_LIMIT),
        future: [],
        selection: selection ?? prune(get().selection, next),
      });
    };
    const refuse = (reason: string): void => get().notify('error', reason);

    return {
      doc: initial,
      selection: NO_SELECTION,
      past: [],
      future: [],
      notice: null,
      gestureBase: null,

      addNode(type, position, link) {
        const r = ops.addNode(get().doc, type, position);
        if (!r.ok) {
          refuse(r.reason);
          return null;
        }
        let doc = r.doc;
        if (link) {
          const c = 'source' in link ? { source: link.source, target: r.id, targetSlot: 0 } : { source: r.id, target: link.target, targetSlot: link.targetSlot };
          const wired = ops.connect(doc, c);
          if (wired.ok) doc = wired.doc;
          else refuse(wired.reason);
        }
        commit(doc, { nodes: new Set([r.id]), edges: new Set() });
        return r.id;
      },
      placeLayer(type, centre, sizeOf) {
        const { doc, selection } = get();
        const r = placement.placeLayer(doc, type, placement.placementAnchor(doc, selection.nodes), centre, sizeOf);
        if (!r.ok) {
          refuse(r.reason);
          return null;
        }
        commit(r.doc, { nodes: new Set([r.id]), edges: new Set() });
        if (r.reason) get().notify('info', `${getLayer(type)?.label ?? type} was added unwired: ${r.reason}`);
        return r.id;
      },
      insertOnEdge(type, edgeId, position, sizeOf) {
        const r = placement.insertOnEdge(get().doc, type, edgeId, position, sizeOf);
        if (!r.ok) {
          refuse(r.reason);
          return null;
        }
        commit(r.doc, { nodes: new Set([r.id]), edges: new Set() });
        if (r.reason) refuse(`${getLayer(type)?.label ?? type} cannot go into that connection, so it was added unwired: ${r.reason}`);
        return r.id;
      },
      connect(c) {
        const r = ops.connect(get().doc, c);
        if (!r.ok) {
          refuse(r.reason);
          return false;
        }
        commit(r.doc);
        return true;
      },
      connectionProblem: (c) => ops.connectionProblem(get().doc, c),
      remove(nodeIds, edgeIds = []) {
        commit(ops.removeElements(get().doc, nodeIds, edgeIds));
      },
      removeSelected() {
        const { nodes, edges } = get().selection;
        if (nodes.size === 0 && edges.size === 0) return;
        commit(ops.removeElements(get().doc, nodes, edges), NO_SELECTION);
      },
      beginGesture() {
        if (!get().gestureBase) set({ gestureBase: get().doc });
      },
      moveNodes(positions) {
        commit(ops.moveNodes(get().doc, positions));
      },
      endGesture() {
        const base = get().gestureBase;
        if (!base) return;
        const { doc, past } = get();
        set({ gestureBase: null, ...(doc !== base ? { past: [...past, base].slice(-HISTORY_LIMIT), future: [] } : {}) });
      },
      setParam(nodeId, name, value) {
        const r = ops.setParam(get().doc, nodeId, name, value);
        if (!r.ok) return r.reason;
        commit(r.doc);
        return null;
      },
      setLabel(nodeId, label) {
        commit(ops.setLabel(get().doc, nodeId, label));
      },
      setTraining(patch) {
        commit(ops.setTraining(get().doc, patch));
      },
      select(selection, mode = 'replace') {
        const current = get().selection;
        const pick = (now: ReadonlySet<string>, given: Iterable<string> | undefined): Set<string> => {
          if (mode === 'replace') return new Set(given ?? []);
          const out = new Set(now);
          for (const id of given ?? []) {
            if (mode === 'toggle' && out.has(id)) out.delete(id);
            else out.add(id);
          }
          return out;
        };
        set({ selection: { nodes: pick(current.nodes, selection.nodes), edges: pick(current.edges, selection.edges) } });
      },
      selectAll() {
        const { doc } = get();
        set({ selection: { nodes: new Set(doc.nodes.map((n) => n.id)), edges: new Set(doc.edges.map((e) => e.id)) } });
      },
      clearSelection() {
        set({ selection: NO_SELECTION });
      },
      copy() {
        return copySelection(get().doc, get().selection.nodes);
      },
      paste(text, offset = PASTE_OFFSET) {
        const parsed = parseClipboard(text);
        if (!parsed.ok) {
          refuse(parsed.reason);
          return false;
        }
        const r = pasteModel(get().doc, parsed.model, offset);
        commit(r.doc, { nodes: new Set(r.nodeIds), edges: new Set() });
        return true;
      },
      duplicate() {
        const text = get().copy();
        if (text) get().paste(text);
      },
      undo() {
        const { past, doc, future } = get();
        if (past.length === 0 || get().gestureBase) return;
        const previous = past[past.length - 1]!;
        set({ doc: previous, past: past.slice(0, -1), future: [doc, ...future], selection: prune(get().selection, previous) });
      },
      redo() {
        const { past, doc, future } = get();
        if (future.length === 0 || get().gestureBase) return;
        const next = future[0]!;
        set({ doc: next, past: [...past, doc], future: future.slice(1), selection: prune(get().selection, next) });
      },
      replaceDocument(next, history = 'keep') {
        if (history === 'reset') set({ doc: next, past: [], future: [], selection: NO_SELECTION, gestureBase: null });
        else commit(next, NO_SELECTION);
      },
      notify(kind, text) {
        set({ notice: { id: ++noticeCounter, kind, text } });
      },
      dismissNotice() {
        set({ notice: null });
      },
    };
  });
}

/** The selection without ids that no longer exist. */
function prune(selection: Selection, doc: GraphDocument): Selection {
  if (selection.nodes.size === 0 && selection.edges.size === 0) return selection;
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  return { nodes: new Set([...selection.nodes].filter((id) => nodeIds.has(id))), edges: new Set([...selection.edges].filter((id) => edgeIds.has(id))) };
}
