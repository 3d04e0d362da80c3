import type { ReactNode } from 'react';
import type { LayerCategoryId } from './categories';

/** A 16px line glyph per category, drawn in the current text color. */
const GLYPHS: Record<LayerCategoryId, ReactNode> = {
  // Stacked layers.
  core: <path d="M8 2.5 14 5.5 8 8.5 2 5.5ZM2 8.75l6 3 6-3M2 11.5l6 3 6-3" />,
  // An S-shaped squashing curve.
  activation: <path d="M2 12.5c5 0 6.5-9 12-9" />,
  // A 3×3 kernel.
  convolution: <path d="M3.5 2.5h9a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1h-9a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1ZM6.17 2.5v11M9.83 2.5v11M2.5 6.17h11M2.5 9.83h11" />,
  // A bell curve.
  normalization: <path d="M1.5 13c3.5 0 4-9.5 6.5-9.5s3 9.5 6.5 9.5" />,
  // Two branches joining.
  merge: <path d="M3.5 2.5c0 4 4.5 4 4.5 7v4M12.5 2.5c0 4-4.5 4-4.5 7" />,
  // A loop back onto itself.
  recurrent: <path d="M13 8a5 5 0 1 1-1.46-3.54M11.8 1.8v2.9H8.9" />,
  // A target.
  output: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2" fill="currentColor" />
    </>
  ),
};

export function CategoryIcon({ category, className }: { category: LayerCategoryId; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {GLYPHS[category]}
    </svg>
  );
}
