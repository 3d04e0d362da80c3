/**
 * The palette's entries, read from the engine's layer registry (one module per layer type), so a
 * new layer module appears here with no app change. Category colors and icons are presentation
 * and live in `categories.ts`.
 */
import { LAYERS } from '../../engine/layers/registry';
import type { LayerCategory as EngineCategory } from '../../engine/layers/types';
import type { LayerCategoryId } from './categories';

export interface PaletteEntry {
  /** Registry id, e.g. `dense`; also the test hook `palette-item-<type>`. */
  readonly type: string;
  readonly label: string;
  readonly category: LayerCategoryId;
  /** One line, shown under the label. */
  readonly description: string;
  /** Other words people search for, e.g. "linear" for Dense. */
  readonly keywords?: readonly string[];
}

/** The registry's category names as the app's category ids. */
export const CATEGORY_ID: Readonly<Record<EngineCategory, LayerCategoryId>> = {
  Core: 'core',
  Activations: 'activation',
  Convolution: 'convolution',
  'Normalization & Regularization': 'normalization',
  Merge: 'merge',
  'Recurrent & Attention': 'recurrent',
  Output: 'output',
};

export const PALETTE_ENTRIES: readonly PaletteEntry[] = LAYERS.map((layer) => ({
  type: layer.type,
  label: layer.label,
  category: CATEGORY_ID[layer.category],
  description: layer.description,
  ...(layer.keywords ? { keywords: layer.keywords } : {}),
}));

const BY_TYPE = new Map(PALETTE_ENTRIES.map((e) => [e.type, e]));

export function paletteEntry(type: string): PaletteEntry | undefined {
  return BY_TYPE.get(type);
}
