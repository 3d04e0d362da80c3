/** The app's one graph store, and the hook components read it through (always with a selector). */
import { useStore } from 'zustand';
import { createGraphStore, type GraphState } from '../graph/store';

export const graphStore = createGraphStore();

export function useGraph<T>(selector: (state: GraphState) => T): T {
  return useStore(graphStore, selector);
}
