import { useEffect } from 'react';
import { graphStore, useGraph } from '../state/graph';

/**
 * The last message for the user (a refused edit, an opened file), in the canvas' bottom-left corner
 * — graphs are framed in the middle, so it covers as little of one as it can; it fades after a while.
 */
export function NoticeToast() {
  const notice = useGraph((s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => graphStore.getState().dismissNotice(), notice.kind === 'error' ? 8000 : 5000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  const error = notice.kind === 'error';
  return (
    <div className="pointer-events-none absolute inset-x-0 bottom-4 z-40 flex justify-start px-4">
      <div
        key={notice.id}
        role={error ? 'alert' : 'status'}
        data-testid="notice"
        className={`pointer-events-auto flex max-w-xl items-start gap-3 rounded-lg border px-4 py-2.5 text-[13px] leading-5 shadow-xl shadow-black/40 ${
          error ? 'border-danger/50 bg-[#2a1418] text-danger-ink' : 'border-line-strong bg-raised text-ink'
        }`}
      >
        <span className="min-w-0 flex-1">{notice.text}</span>
        <button type="button" onClick={() => graphStore.getState().dismissNotice()} aria-label="Dismiss" className="-mr-1 shrink-0 rounded px-1 text-ink-faint hover:text-ink">
          ×
        </button>
      </div>
    </div>
  );
}
