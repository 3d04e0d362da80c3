/** UI preferences and transient view state (not part of the document, not undoable). */
import { create } from 'zustand';

export type Dialog = null | 'templates' | 'shortcuts' | 'summary' | 'about';

export interface UiState {
  showEdgeShapes: boolean;
  dialog: Dialog;
  setShowEdgeShapes(show: boolean): void;
  openDialog(dialog: Dialog): void;
}

export const useUi = create<UiState>()((set) => ({
  showEdgeShapes: true,
  dialog: null,
  setShowEdgeShapes: (showEdgeShapes) => set({ showEdgeShapes }),
  openDialog: (dialog) => set({ dialog }),
}));
