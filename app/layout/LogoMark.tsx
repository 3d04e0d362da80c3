/** Gradflow's mark: a tiny network (two inputs feeding one unit) on a gradient tile. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden="true">
      <defs>
        <linearGradient id="gradflow-mark" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#7c7ff7" />
          <stop offset="1" stopColor="#2fc5b4" />
        </linearGradient>
      </defs>
      <rect width="24" height="24" rx="6" fill="url(#gradflow-mark)" />
      <g stroke="white" strokeWidth="1.6" strokeLinecap="round" opacity="0.9">
        <path d="M7.5 7.5 16.5 12M7.5 16.5 16.5 12" />
      </g>
      <g fill="white">
        <circle cx="7.5" cy="7.5" r="2.2" />
        <circle cx="7.5" cy="16.5" r="2.2" />
        <circle cx="16.5" cy="12" r="2.6" />
      </g>
    </svg>
  );
}
