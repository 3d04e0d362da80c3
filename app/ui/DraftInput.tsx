import { useRef, useState } from 'react';

interface DraftInputProps {
  id: string;
  value: string;
  invalid: boolean;
  describedBy?: string | undefined;
  inputMode: 'numeric' | 'decimal' | 'text';
  className: string;
  /** Shown while empty (what an empty field means). */
  placeholder?: string | undefined;
  /** Its name, where no <label> names it. */
  ariaLabel?: string;
  onCommit: (text: string) => void;
}

/**
 * A text field that edits a draft and commits it on Enter or when left; Escape drops the draft.
 * The caller validates the text and keeps the old value when it refuses it (the field then shows
 * the old value again).
 */
export function DraftInput({ id, value, invalid, describedBy, inputMode, className, placeholder, ariaLabel, onCommit }: DraftInputProps) {
  const [draft, setDraft] = useState<string | null>(null);
  // Escape blurs the field to drop the draft; the blur must not then commit the draft it still sees.
  const dropped = useRef(false);
  const finish = () => {
    if (!dropped.current && draft !== null && draft.trim() !== value) onCommit(draft);
    dropped.current = false;
    setDraft(null);
  };
  return (
    <input
      id={id}
      type="text"
      inputMode={inputMode}
      autoComplete="off"
      spellCheck={false}
      value={draft ?? value}
      placeholder={placeholder}
      aria-label={ariaLabel}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={finish}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          finish();
          e.currentTarget.blur();
        } else if (e.key === 'Escape') {
          // Escape drops the draft, and only that: a dialog around the field stays open.
          if (draft !== null) e.preventDefault();
          dropped.current = true;
          setDraft(null);
          e.currentTarget.blur();
        }
      }}
      className={`${className} placeholder:text-ink-faint ${invalid ? 'border-danger/70' : 'border-line'}`}
    />
  );
}
