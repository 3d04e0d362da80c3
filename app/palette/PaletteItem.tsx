import type { CSSProperties } from 'react';
import { useReactFlow } from '@xyflow/react';
import { LAYER_DRAG_TYPE } from '../canvas/dnd';
import { graphStore } from '../state/graph';
import type { PaletteEntry } from './catalogue';
import type { LayerCategory } from './categories';
import { CategoryIcon } from './CategoryIcon';

interface PaletteItemProps {
  entry: PaletteEntry;
  category: LayerCategory;
}

/** One layer in the palette: drag it onto the canvas, or click (or Enter) to add it at the centre of the view. */
export function PaletteItem({ entry, category }: PaletteItemProps) {
  const style = { '--category-color': category.color } as CSSProperties;
  const flow = useReactFlow();
  const addAtCenter = () => {
    const pane = document.querySelector('main[aria-label="Model canvas"]')?.getBoundingClientRect();
    if (!pane) return;
    const center = flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    const taken = graphStore.getState().doc.nodes.map((n) => n.position);
    let at = { x: Math.round(center.x - 88), y: Math.round(center.y - 30) };
    // Clicking twice must not stack two layers exactly on top of each other.
    while (taken.some((p) => Math.abs(p.x - at.x) < 12 && Math.abs(p.y - at.y) < 12)) at = { x: at.x + 28, y: at.y + 28 };
    graphStore.getState().addNode(entry.type, at);
  };
  return (
    <li>
      <button
        type="button"
        data-testid={`palette-item-${entry.type}`}
        title={`${entry.label}: ${entry.description}. Drag onto the canvas, or click to add.`}
        style={style}
        draggable
        onDragStart={(event) => {
          event.dataTransfer.setData(LAYER_DRAG_TYPE, entry.type);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onClick={addAtCenter}
        className="group relative flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left transition-colors hover:bg-hover focus-visible:outline-offset-0"
      >
        <span className="grid size-7 shrink-0 place-items-center rounded-md bg-(--category-color)/12 text-(--category-color) ring-1 ring-(--category-color)/25 ring-inset">
          <CategoryIcon category={entry.category} className="size-3.5" />
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[13px] leading-5 font-medium text-ink">{entry.label}</span>
          <span className="block truncate text-xs leading-4 text-ink-faint">{entry.description}</span>
        </span>
        <GripIcon />
      </button>
    </li>
  );
}

/** Drag affordance, shown on hover and focus. */
function GripIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="absolute top-1/2 right-1.5 size-3.5 -translate-y-1/2 text-ink-faint opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
      fill="currentColor"
      aria-hidden="true"
    >
      <circle cx="6" cy="4" r="1.1" />
      <circle cx="10" cy="4" r="1.1" />
      <circle cx="6" cy="8" r="1.1" />
      <circle cx="10" cy="8" r="1.1" />
      <circle cx="6" cy="12" r="1.1" />
      <circle cx="10" cy="12" r="1.1" />
    </svg>
  );
}
