/** Shown in the middle of an empty canvas. It never takes the pointer, so the pane stays usable. */
export function EmptyCanvasHint() {
  return (
    <div className="pointer-events-none absolute inset-0 z-10 grid place-items-center p-6">
      <div className="flex max-w-sm flex-col items-center text-center">
        <GhostGraph />
        <p className="mt-5 text-[15px] font-medium text-ink">Drag layers from the palette to start</p>
        <p className="mt-1.5 text-[13px] leading-5 text-ink-faint">
          Wire them into a network, pick a dataset and press Train. Every edge lights up with the
          gradient flowing back through it.
        </p>
      </div>
    </div>
  );
}

/** A faint three-node network sketch: input → hidden → output. */
function GhostGraph() {
  return (
    <svg viewBox="0 0 168 56" className="w-42 text-ink-faint" fill="none" aria-hidden="true">
      <g stroke="currentColor" strokeOpacity="0.5" strokeWidth="1.25" strokeDasharray="3 3">
        <path d="M44 28h24M100 28h24" />
      </g>
      <g stroke="currentColor" strokeOpacity="0.55" strokeWidth="1.25">
        <rect x="4.5" y="16.5" width="39" height="23" rx="6" />
        <rect x="68.5" y="16.5" width="31" height="23" rx="6" />
        <rect x="124.5" y="16.5" width="39" height="23" rx="6" />
      </g>
      <g fill="currentColor" fillOpacity="0.7">
        <circle cx="44" cy="28" r="2.5" />
        <circle cx="68" cy="28" r="2.5" />
        <circle cx="100" cy="28" r="2.5" />
        <circle cx="124" cy="28" r="2.5" />
      </g>
    </svg>
  );
}
