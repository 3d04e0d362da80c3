/**
 * Every command a person can give by key or by a toolbar button, in one list (excalidraw's
 * actions): its label, what it does, its keys, whether it can run now, and how. The key handler
 * (useShortcuts), the header and canvas-bar buttons (title, aria-keyshortcuts, disabled, pressed)
 * and the `?` overlay all read this list, so a key is spelled in one place.
 */
import type { GraphState } from '../graph/store';
import { requestFraming } from '../layout/framing';
import { copyShareLink, exportDocument, exportWeights } from '../persistence/documents';
import { graphStore } from '../state/graph';
import { unitMapsOn, useUi, type PanelId, type UiState } from '../state/ui';
import { training, useTraining } from '../training/store';
import { stepSlowly } from '../training/backpropWave';
import { chordAria, chordLabel, parseChord, type KeyChord } from './shortcuts';

export type ActionGroup = 'File' | 'Edit' | 'View' | 'Panels' | 'Training';

interface ActionBase {
  readonly id: string;
  /** Its name: the accessible name of its buttons ("Undo", "Keyboard shortcuts"). */
  readonly label: string;
  /** Shorter text for a button where the label is long ("Shortcuts"); the label stays the accessible name. */
  readonly short?: string;
  /** What it does, for the `?` overlay and the button's tooltip. Defaults to the label. */
  readonly description?: string;
  readonly group: ActionGroup;
  /** The keys that run it, as "Mod+Shift+Z" (Mod is Ctrl, or Cmd on a Mac); alternatives in order. */
  readonly keys?: readonly string[];
  /** Whether it can run now (buttons show it disabled; keys do nothing). Absent: always. */
  readonly enabled?: (graph: GraphState) => boolean;
  /** For a switch: whether it is on (aria-pressed). */
  readonly checked?: (ui: UiState, graph: GraphState) => boolean;
}

/** An action the app runs itself. */
interface RunAction extends ActionBase {
  run(): void;
}

/** Copy, cut and paste: the browser turns their keys into clipboard events, which useShortcuts handles; listed for the overlay. */
interface ClipboardAction extends ActionBase {
  readonly clipboard: 'copy' | 'cut' | 'paste';
}

export type Action = RunAction | ClipboardAction;

const hasNodes = (g: GraphState) => g.doc.nodes.length > 0;
const hasSelection = (g: GraphState) => g.selection.nodes.size + g.selection.edges.size > 0;
const ui = () => useUi.getState();
const togglePanel = (panel: PanelId) => ui().setCollapsed(panel, !ui().collapsed[panel]);

/** The id of the hidden file input the Open action clicks (it lives in the header). */
export const OPEN_FILE_INPUT_ID = 'model-file-input';

export const ACTIONS = [
  // File
  { id: 'templates', label: 'Templates', description: 'Open a model from the template gallery', group: 'File', run: () => ui().openDialog('templates') },
  { id: 'open', label: 'Open', description: 'Open a .gradflow.json model, or .safetensors weights onto this graph (or drop either on the canvas)', group: 'File', keys: ['Mod+O'], run: () => document.getElementById(OPEN_FILE_INPUT_ID)?.click() },
  { id: 'export', label: 'Export', description: 'Download the model as a .gradflow.json file', group: 'File', keys: ['Mod+S'], enabled: hasNodes, run: exportDocument },
  { id: 'exportWeights', label: 'Download weights', short: 'Weights', description: 'Download the trained weights as a .safetensors file (Open one to start a run from it)', group: 'File', keys: ['Mod+Shift+S'], enabled: hasNodes, run: () => void exportWeights() },
  { id: 'share', label: 'Share', description: 'Copy a link that carries this model', group: 'File', enabled: hasNodes, run: () => void copyShareLink() },
  { id: 'summary', label: 'Summary', description: 'Keras-style summary: layers, shapes, parameters', group: 'File', enabled: hasNodes, run: () => ui().openDialog('summary') },

  // Edit
  { id: 'undo', label: 'Undo', description: 'Undo the last change', group: 'Edit', keys: ['Mod+Z'], enabled: (g) => g.past.length > 0, run: () => graphStore.getState().undo() },
  { id: 'redo', label: 'Redo', description: 'Redo what was undone', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], enabled: (g) => g.future.length > 0, run: () => graphStore.getState().redo() },
  { id: 'delete', label: 'Delete', description: 'Delete the selection', group: 'Edit', keys: ['Delete', 'Backspace'], enabled: hasSelection, run: () => graphStore.getState().removeSelected() },
  { id: 'copy', label: 'Copy', description: 'Copy the selected layers (as JSON, works across tabs)', group: 'Edit', keys: ['Mod+C'], clipboard: 'copy' },
  { id: 'cut', label: 'Cut', description: 'Cut the selected layers', group: 'Edit', keys: ['Mod+X'], clipboard: 'cut' },
  { id: 'paste', label: 'Paste', description: 'Paste layers or a model file', group: 'Edit', keys: ['Mod+V'], clipboard: 'paste' },
  { id: 'duplicate', label: 'Duplicate', description: 'Duplicate the selected layers', group: 'Edit', keys: ['Mod+D'], enabled: (g) => g.selection.nodes.size > 0, run: () => graphStore.getState().duplicate() },
  { id: 'selectAll', label: 'Select all', description: 'Select everything', group: 'Edit', keys: ['Mod+A'], run: () => graphStore.getState().selectAll() },
  { id: 'clearSelection', label: 'Clear selection', description: 'Clear the selection (and close a dialog)', group: 'Edit', keys: ['Escape'], run: () => graphStore.getState().clearSelection() },

  // View
  { id: 'searchLayers', label: 'Search layers', description: 'Search the palette', group: 'View', keys: ['/'], run: focusLayerSearch },
  { id: 'fitView', label: 'Fit view', short: 'Fit', description: 'Fit the whole graph in view', group: 'View', keys: ['F'], enabled: hasNodes, run: () => requestFraming('whole') },
  { id: 'tidy', label: 'Tidy layout', short: 'Tidy', description: 'Tidy the graph (auto-layout)', group: 'View', keys: ['L'], enabled: hasNodes, run: () => void tidyLayout() },
  { id: 'edgeShapes', label: 'Edge shapes', short: 'Shapes', description: 'Show or hide the tensor shapes on edges', group: 'View', keys: ['S'], checked: (s) => s.showEdgeShapes, run: () => ui().setShowEdgeShapes(!ui().showEdgeShapes) },
  {
    id: 'unitMaps',
    label: 'Unit maps',
    short: 'Units',
    description: 'Show what each unit of the Dense and activation layers outputs over the input plane (datasets with two features)',
    group: 'View',
    keys: ['U'],
    checked: (s, g) => unitMapsOn(s.unitMaps, g.doc.nodes.length),
    run: () => ui().setUnitMaps(!unitMapsOn(ui().unitMaps, graphStore.getState().doc.nodes.length)),
  },
  { id: 'runs', label: 'Compare runs', short: 'Runs', description: 'Compare kept runs: loss, accuracy and gradient by depth, overlaid', group: 'View', keys: ['R'], run: () => ui().openDialog('runs') },
  { id: 'minimap', label: 'Minimap', description: 'Show or hide the minimap', group: 'View', keys: ['Shift+M'], checked: (s) => s.showMinimap, run: () => ui().setShowMinimap(!ui().showMinimap) },
  { id: 'shortcuts', label: 'Keyboard shortcuts', short: 'Shortcuts', description: 'Show this list of shortcuts', group: 'View', keys: ['?'], run: () => ui().openDialog('shortcuts') },
  { id: 'about', label: 'About Gradflow and its datasets', short: 'About', description: 'Credits for the datasets and libraries', group: 'View', run: () => ui().openDialog('about') },

  // Panels
  { id: 'togglePalette', label: 'Layer palette', short: 'Layers', description: 'Show or hide the layer palette', group: 'Panels', keys: ['['], checked: (s) => !s.collapsed.palette, run: () => togglePanel('palette') },
  { id: 'toggleSide', label: 'Side panel', description: 'Show or hide the side panel (inspector and training)', group: 'Panels', keys: [']'], checked: (s) => !s.collapsed.side, run: () => togglePanel('side') },
  { id: 'toggleMonitor', label: 'Run monitor', description: 'Show or hide the run monitor (charts) under the canvas', group: 'Panels', keys: ['M'], checked: (s) => !s.collapsed.monitor, run: () => togglePanel('monitor') },

  // Training
  { id: 'trainOrPause', label: 'Train or pause', description: 'Train, or pause training', group: 'Training', keys: ['Shift+Enter'], run: trainOrPause },
  { id: 'step', label: 'Step', description: 'One training step', group: 'Training', keys: ['.'], run: () => void training.step(1) },
  {
    id: 'stepSlowly',
    label: 'Step slowly',
    short: 'Backprop',
    description: 'One training step, then its backward pass played on the canvas, from the loss back to the input',
    group: 'Training',
    keys: ['B'],
    enabled: (g) => g.doc.nodes.length > 0,
    run: () => void stepSlowly(),
  },
] as const satisfies readonly Action[];

export type ActionId = (typeof ACTIONS)[number]['id'];

const BY_ID = new Map<string, Action>(ACTIONS.map((a) => [a.id, a]));

export function actionById(id: ActionId): Action {
  return BY_ID.get(id)!;
}

const CHORDS = new Map<Action, KeyChord[]>(ACTIONS.map((a) => [a, ('keys' in a ? a.keys : []).map(parseChord)]));

export function chordsOf(action: Action): readonly KeyChord[] {
  return CHORDS.get(action) ?? [];
}

/** "Ctrl+Shift+Z or Ctrl+Y", or "" for an action without keys. */
export function keysLabel(action: Action): string {
  return chordsOf(action).map(chordLabel).join(' or ');
}

/** A button's tooltip and aria-keyshortcuts for an action: "Undo the last change (Ctrl+Z)". */
export function actionHint(id: ActionId): { title: string; 'aria-keyshortcuts'?: string } {
  const action = actionById(id);
  const keys = keysLabel(action);
  const text = action.description ?? action.label;
  const chords = chordsOf(action);
  return { title: keys ? `${text} (${keys})` : text, ...(chords.length > 0 ? { 'aria-keyshortcuts': chords.map(chordAria).join(' ') } : {}) };
}

export function runAction(action: Action): boolean {
  if (!('run' in action)) return false;
  if (action.enabled && !action.enabled(graphStore.getState())) return false;
  action.run();
  return true;
}

/**
 * Tidies the graph with auto-layout, as one undoable step, and fits it in view. The layout code
 * (dagre) loads on the first tidy; the graph as it is once it has loaded is the one tidied.
 */
export async function tidyLayout(): Promise<void> {
  if (graphStore.getState().doc.nodes.length === 0) return;
  const layout = await import('../graph/layout').catch(() => null);
  if (!layout) {
    graphStore.getState().notify('error', 'The auto-layout could not be loaded. Check the connection and reload the page.');
    return;
  }
  const store = graphStore.getState();
  if (store.doc.nodes.length === 0) return;
  store.replaceDocument(layout.layoutDocument(store.doc));
  requestFraming('whole');
}

function trainOrPause(): void {
  if (useTraining.getState().status === 'training') void training.pause();
  else void training.train();
}

/** Opens the palette if it is folded away, then puts the cursor in its search field. */
function focusLayerSearch(): void {
  const focus = () => document.getElementById('palette-search')?.focus();
  if (ui().collapsed.palette) {
    ui().setCollapsed('palette', false);
    requestAnimationFrame(focus);
  } else focus();
}
