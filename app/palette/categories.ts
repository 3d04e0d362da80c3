/**
 * Layer categories as the UI shows them: order, label and color. This is presentation, so it
 * stays in app/ when the engine's registry arrives; the registry only names the category id.
 * Colors are chosen to stay distinct from each other on the dark theme.
 */
export const LAYER_CATEGORIES = [
  { id: 'core', label: 'Core', color: '#5ea2f8' },
  { id: 'activation', label: 'Activations', color: '#f2b33d' },
  { id: 'convolution', label: 'Convolution', color: '#3ccf91' },
  { id: 'normalization', label: 'Normalization & Regularization', color: '#a98bfa' },
  { id: 'merge', label: 'Merge', color: '#2fc9d8' },
  { id: 'recurrent', label: 'Recurrent & Attention', color: '#f1719f' },
  { id: 'output', label: 'Output', color: '#f7845e' },
] as const;

export type LayerCategory = (typeof LAYER_CATEGORIES)[number];
export type LayerCategoryId = LayerCategory['id'];

const BY_ID = new Map<string, LayerCategory>(LAYER_CATEGORIES.map((c) => [c.id, c]));

export function categoryOf(id: LayerCategoryId): LayerCategory {
  return BY_ID.get(id) ?? LAYER_CATEGORIES[0];
}
