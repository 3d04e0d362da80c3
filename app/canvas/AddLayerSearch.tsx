import { useEffect, useMemo, useRef, useState } from 'react';
import type { Position } from '../graph/document';
import type { Link } from '../graph/store';
import { CategoryIcon } from '../palette/CategoryIcon';
import { categoryOf } from '../palette/categories';
import { PALETTE_ENTRIES } from '../palette/catalogue';
import { searchPalette } from '../palette/searchPalette';
import { graphStore } from '../state/graph';

export interface AddLayerRequest {
  /** Where to show the box (client coordinates). */
  screen: { x: number; y: number };
  /** Where the new layer goes (flow coordinates). */
  position: Position;
  /** Set when a connection was dropped on empty canvas: the new layer is wired to it. */
  connectFrom?: Link;
}

/**
 * The quick-add box (double-click on empty canvas, or drop a connection there): type to filter,
 * arrows to choose, Enter to add, Escape to close.
 */
export function AddLayerSearch({ request, onClose }: { request: AddLayerRequest; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const matches = useMemo(() => searchPalette(PALETTE_ENTRIES, query).flatMap((g) => g.entries), [query]);

  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => {
    const away = (event: PointerEvent) => {
      if (!boxRef.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', away, true);
    return () => window.removeEventListener('pointerdown', away, true);
  }, [onClose]);

  const pick = (type: string) => {
    graphStore.getState().addNode(type, { x: Math.round(request.position.x - 20), y: Math.round(request.position.y - 30) }, request.connectFrom);
    onClose();
  };

  // Keep the box inside the window.
  const left = Math.min(request.screen.x, window.innerWidth - 300);
  const top = Math.min(request.screen.y, window.innerHeight - 340);

  return (
    <div
      ref={boxRef}
      role="dialog"
      aria-label="Add a layer"
      className="fixed z-50 w-72 overflow-hidden rounded-lg border border-line-strong bg-raised shadow-2xl shadow-black/50"
      style={{ left, top }}
    >
      <input
        ref={inputRef}
        type="search"
        aria-label="Layer to add"
        placeholder={request.connectFrom ? 'Add and connect a layer…' : 'Add a layer…'}
        value={query}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && matches[active]) pick(matches[active].type);
          else return;
          e.preventDefault();
        }}
        className="h-10 w-full border-b border-line bg-transparent px-3 text-[13px] text-ink placeholder:text-ink-faint focus:outline-none"
      />
      <ul role="listbox" aria-label="Matching layers" className="max-h-72 overflow-y-auto p-1">
        {matches.length === 0 && <li className="px-3 py-6 text-center text-[13px] text-ink-faint">No layer matches “{query}”</li>}
        {matches.map((entry, i) => {
          const category = categoryOf(entry.category);
          return (
            <li
              key={entry.type}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(entry.type)}
              className={`flex cursor-pointer items-center gap-2.5 rounded-md px-2 py-1.5 ${i === active ? 'bg-hover' : ''}`}
            >
              <span className="grid size-6 shrink-0 place-items-center rounded" style={{ color: category.color, background: `${category.color}1f` }}>
                <CategoryIcon category={entry.category} className="size-3.5" />
              </span>
              <span className="min-w-0 flex-1">
                <span className="block truncate text-[13px] text-ink">{entry.label}</span>
                <span className="block truncate text-[11px] text-ink-faint">{entry.description}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
