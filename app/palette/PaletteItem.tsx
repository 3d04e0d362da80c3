import type { CSSProperties } from 'react';
import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { LAYER_DRAG_TYPE, measuredSizes } from '../canvas/dnd';
import { nodesById } from '../graph/document';
import { NODE_SIZE } from '../graph/placement';
import { graphStore } from '../state/graph';
import type { PaletteEntry } from './catalogue';
import type { LayerCategory } from './categories';
import { CategoryIcon } from './CategoryIcon';

interface PaletteItemProps {
  entry: PaletteEntry;
  category: LayerCategory;
}

/**
 * One layer in the palette: drag it onto the canvas (onto an edge to insert it there), or click
 * (or Enter) to add it after the selected layer — or the last one added — wired when it fits.
 */
export function PaletteItem({ entry, category }: PaletteItemProps) {
  const style = { '--category-color': category.color } as CSSProperties;
  const flow = useReactFlow();
  const addNext = () => {
    const pane = document.querySelector('main[aria-label="Model canvas"]')?.getBoundingClientRect();
    if (!pane) return;
    // On an empty graph the first layer goes to the middle of the view, a quarter down: a chain grows downward.
    const centre = flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + Math.max(pane.height / 4, 80) });
    const id = graphStore.getState().placeLayer(entry.type, centre, measuredSizes(flow));
    // Reveal once React Flow has measured the new card (an error makes it taller than NODE_SIZE).
    if (id) requestAnimationFrame(() => requestAnimationFrame(() => revealNode(flow, pane, id)));
  };
  return (
    <li>
      <button
        type="button"
        data-testid={`palette-item-${entry.type}`}
        title={`${entry.label}: ${entry.description}. Click to add it after the selected layer, or drag it onto the canvas or onto a connection.`}
        style={style}
        draggable
        onDragStart={(event) => {
          event.dataTransfer.setData(LAYER_DRAG_TYPE, entry.type);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onClick={addNext}
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

/**
 * Pans the canvas (keeping the zoom) just enough to bring a layer placed off screen into view, as
 * an editor scrolls to its cursor: the layers before it stay on screen as long as they can.
 */
function revealNode(flow: ReactFlowInstance, pane: DOMRect, id: string): void {
  const node = nodesById(graphStore.getState().doc).get(id);
  if (!node) return;
  const { x, y, zoom } = flow.getViewport();
  const margin = 48;
  const left = node.position.x * zoom + x;
  const top = node.position.y * zoom + y;
  const size = measuredSizes(flow)(id) ?? NODE_SIZE;
  const right = left + size.width * zoom;
  const bottom = top + size.height * zoom;
  const dx = right > pane.width - margin ? right - (pane.width - margin) : left < margin ? left - margin : 0;
  const dy = bottom > pane.height - margin ? bottom - (pane.height - margin) : top < margin ? top - margin : 0;
  if (dx !== 0 || dy !== 0) void flow.setViewport({ x: x - dx, y: y - dy, zoom }, { duration: 200 });
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
