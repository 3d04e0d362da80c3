/** UI preferences and transient view state (not part of the document, not undoable). */
import { create } from 'zustand';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';

export type Dialog = null | 'templates' | 'shortcuts' | 'summary' | 'about' | 'runs';

/** The panels around the canvas that fold away: the layer palette, the inspector + training panel, the run monitor strip. */
export type PanelId = 'palette' | 'side' | 'monitor';

/**
 * The frame's sizes a person has dragged to: panel widths and the strip's height in CSS pixels, the
 * training pane's share of the side panel's height. Absent: the default for the window (see frame.ts).
 */
export interface FrameSizes {
  palette?: number;
  side?: number;
  monitor?: number;
  training?: number;
}

/** Graphs with more layers than this show no unit maps unless asked (UiState.unitMaps). */
export const UNIT_MAPS_AUTO_MAX_NODES = 30;

/** Whether the canvas shows unit maps: as asked, else on for graphs of up to UNIT_MAPS_AUTO_MAX_NODES layers. */
export function unitMapsOn(asked: boolean | null, nodeCount: number): boolean {
  return asked ?? nodeCount <= UNIT_MAPS_AUTO_MAX_NODES;
}

export interface UiState {
  showEdgeShapes: boolean;
  showMinimap: boolean;
  /** Unit maps on the canvas (2D datasets): on or off as toggled; null: the default for the graph's size (unitMapsOn). */
  unitMaps: boolean | null;
  /** Which panels are folded away. */
  collapsed: Record<PanelId, boolean>;
  sizes: FrameSizes;
  dialog: Dialog;
  setShowEdgeShapes(show: boolean): void;
  setShowMinimap(show: boolean): void;
  setUnitMaps(on: boolean): void;
  setCollapsed(panel: PanelId, collapsed: boolean): void;
  /** Sets one size; undefined goes back to the default. */
  setSize(which: keyof FrameSizes, size: number | undefined): void;
  openDialog(dialog: Dialog): void;
}

/** localStorage where there is one (not under Node, where unit tests import this store). */
const storage = createJSONStorage<Partial<UiState>>((): StateStorage => (typeof localStorage === 'undefined' ? NO_STORAGE : localStorage));
const NO_STORAGE: StateStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      showEdgeShapes: true,
      showMinimap: false,
      unitMaps: null,
      collapsed: { palette: false, side: false, monitor: false },
      sizes: {},
      dialog: null,
      setShowEdgeShapes: (showEdgeShapes) => set({ showEdgeShapes }),
      setShowMinimap: (showMinimap) => set({ showMinimap }),
      setUnitMaps: (unitMaps) => set({ unitMaps }),
      setCollapsed: (panel, collapsed) => set((s) => ({ collapsed: { ...s.collapsed, [panel]: collapsed } })),
      setSize: (which, size) =>
        set((s) => {
          const sizes = { ...s.sizes };
          if (size === undefined) delete sizes[which];
          else sizes[which] = size;
          return { sizes };
        }),
      openDialog: (dialog) => set({ dialog }),
    }),
    {
      // The frame is a preference of this browser, so it lives in localStorage (read before the first
      // paint: a folded panel never flashes open). Edge shapes travel with the autosaved document.
      name: 'gradflow.frame',
      version: 1,
      storage,
      partialize: (s) => ({ showMinimap: s.showMinimap, unitMaps: s.unitMaps, collapsed: s.collapsed, sizes: s.sizes }),
      merge: (saved, current) => {
        const s = (saved ?? {}) as Partial<UiState>;
        return { ...current, ...s, collapsed: { ...current.collapsed, ...s.collapsed }, sizes: { ...s.sizes } };
      },
    },
  ),
);
