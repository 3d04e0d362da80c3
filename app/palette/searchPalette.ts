import { LAYER_CATEGORIES, type LayerCategory } from './categories';
import type { PaletteEntry } from './catalogue';

export interface PaletteGroup {
  readonly category: LayerCategory;
  readonly entries: readonly PaletteEntry[];
}

/**
 * The palette's entries that match `query`, grouped by category in display order; categories
 * with no match are left out. Every word of the query must appear in the entry's label, id,
 * keywords or category name (so "conv" finds the whole Convolution group, "leaky" finds Leaky ReLU).
 */
export function searchPalette(entries: readonly PaletteEntry[], query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return LAYER_CATEGORIES.map((category) => ({
    category,
    entries: entries.filter(
      (entry) => entry.category === category.id && words.every((word) => searchText(entry, category).includes(word)),
    ),
  })).filter((group) => group.entries.length > 0);
}

function searchText(entry: PaletteEntry, category: LayerCategory): string {
  return [entry.label, entry.type, category.label, ...(entry.keywords ?? [])].join(' ').toLowerCase();
}
