import { useRef } from 'react';
import { actionById, keysLabel } from '../shortcuts/actions';

interface PaletteSearchProps {
  query: string;
  onQueryChange: (query: string) => void;
}

/** The palette's filter field. "/" anywhere focuses it (the searchLayers action); Escape clears it, then leaves it. */
export function PaletteSearch({ query, onQueryChange }: PaletteSearchProps) {
  const inputRef = useRef<HTMLInputElement>(null);

  return (
    <div className="group relative">
      <label htmlFor="palette-search" className="sr-only">
        Search layers
      </label>
      <SearchIcon />
      <input
        ref={inputRef}
        id="palette-search"
        type="search"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search layers"
        value={query}
        onChange={(event) => onQueryChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          if (query) onQueryChange('');
          else event.currentTarget.blur();
        }}
        className="h-8 w-full rounded-md border border-line bg-canvas pr-8 pl-8 text-[13px] text-ink placeholder:text-ink-faint hover:border-line-strong focus:border-accent focus:ring-2 focus:ring-accent/25 focus:outline-none focus-visible:outline-none [&::-webkit-search-cancel-button]:hidden"
      />
      {query ? (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            onQueryChange('');
            inputRef.current?.focus();
          }}
          className="absolute top-1/2 right-1.5 grid size-5 -translate-y-1/2 place-items-center rounded text-ink-faint hover:bg-hover hover:text-ink"
        >
          <ClearIcon />
        </button>
      ) : (
        <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-line-strong px-1.5 font-sans text-[10px] leading-4 text-ink-faint group-focus-within:hidden">
          {keysLabel(actionById('searchLayers'))}
        </kbd>
      )}
    </div>
  );
}


function ClearIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true">
      <path d="m4 4 8 8M12 4l-8 8" />
    </svg>
  );
}

function SearchIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.5 10.5 3 3" />
    </svg>
  );
}
