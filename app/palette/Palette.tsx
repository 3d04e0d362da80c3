import { useState } from 'react';
import { PALETTE_ENTRIES } from './catalogue';
import { searchPalette } from './searchPalette';
import { PaletteSearch } from './PaletteSearch';
import { PaletteItem } from './PaletteItem';
import { CategoryIcon } from './CategoryIcon';

export function Palette() {
  const [query, setQuery] = useState('');
  const groups = searchPalette(PALETTE_ENTRIES, query);

  return (
    <aside aria-label="Layer palette" className="flex w-full min-w-0 flex-col border-r border-line bg-panel">
      <div className="flex flex-col gap-3 px-3 pt-3 pb-2">
        <h2 className="px-1 text-xs font-semibold tracking-wider text-ink-muted uppercase">Layers</h2>
        <PaletteSearch query={query} onQueryChange={setQuery} />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {groups.length === 0 ? (
          <NoMatches query={query} onClear={() => setQuery('')} />
        ) : (
          groups.map(({ category, entries }) => {
            const headingId = `palette-group-${category.id}`;
            return (
              <section key={category.id} aria-labelledby={headingId} className="mt-3 first:mt-1">
                <h3 id={headingId} className="flex items-center gap-2 px-2 pb-1 text-[11px] font-medium text-ink-faint">
                  <CategoryIcon category={category.id} className="size-3" />
                  <span className="truncate">{category.label}</span>
                  <span className="ml-auto tabular-nums">{entries.length}</span>
                </h3>
                <ul className="flex flex-col gap-px">
                  {entries.map((entry) => (
                    <PaletteItem key={entry.type} entry={entry} category={category} />
                  ))}
                </ul>
              </section>
            );
          })
        )}
      </div>
    </aside>
  );
}

function NoMatches({ query, onClear }: { query: string; onClear: () => void }) {
  return (
    <div className="flex flex-col items-center gap-2 px-4 py-10 text-center">
      <p className="text-[13px] text-ink-muted">
        No layers match <span className="font-medium text-ink">“{query.trim()}”</span>
      </p>
      <button type="button" onClick={onClear} className="rounded text-xs font-medium text-accent-hover hover:underline">
        Show all layers
      </button>
    </div>
  );
}
