import { useEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  description?: string;
  onClose: () => void;
  children: ReactNode;
  width?: string;
}

/** A modal on the native <dialog>: focus stays inside, Escape and the backdrop close it. */
export function Dialog({ title, description, onClose, children, width = 'max-w-3xl' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      className={`m-auto w-[calc(100vw-4rem)] ${width} rounded-xl border border-line-strong bg-panel p-0 text-ink shadow-2xl shadow-black/60 backdrop:bg-black/60 backdrop:backdrop-blur-[2px]`}
    >
      <div className="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
        {/* min-w-0 and overflow-wrap: a title holding a long unbroken name (a file, a model) wraps instead of pushing the dialog off-screen; very long ones are clamped. */}
        <div className="min-w-0 [overflow-wrap:anywhere]">
          <h2 className="line-clamp-3 text-[15px] font-semibold" title={title}>
            {title}
          </h2>
          {description && <p className="mt-0.5 line-clamp-4 text-[13px] text-ink-faint">{description}</p>}
        </div>
        <button type="button" onClick={onClose} aria-label="Close" className="grid size-7 shrink-0 place-items-center rounded-md text-ink-faint hover:bg-hover hover:text-ink">
          <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true">
            <path d="m4 4 8 8M12 4l-8 8" />
          </svg>
        </button>
      </div>
      <div className="max-h-[70vh] overflow-y-auto">{children}</div>
    </dialog>
  );
}
