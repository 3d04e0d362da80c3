import { useId, useState } from 'react';
import { DraftInput } from '../ui/DraftInput';
import type { ParamSpec, ParamValue } from '../../engine/layers/types';

interface ParamFieldProps {
  name: string;
  spec: ParamSpec;
  value: ParamValue;
  /** Applies a value; returns the reason when it is refused (and the old value stays). */
  onCommit: (value: ParamValue) => string | null;
}

/**
 * One layer parameter with the control its spec asks for: a bounded number, a select, a switch
 * or a list of whole numbers. Typed values are committed on Enter or when the field is left; a
 * refused value snaps back to the old one and the reason stays under the field until the next edit.
 */
export function ParamField({ name, spec, value, onCommit }: ParamFieldProps) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const commit = (v: ParamValue) => setError(onCommit(v));
  const describedBy = error ? `${errorId} ${helpId}` : helpId;

  let control;
  switch (spec.kind) {
    case 'bool':
      control = (
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={value === true}
          aria-describedby={describedBy}
          onClick={() => commit(value !== true)}
          className={`relative h-5 w-9 shrink-0 rounded-full transition-colors ${value === true ? 'bg-accent' : 'bg-line-strong'}`}
        >
          <span className={`absolute top-0.5 left-0.5 size-4 rounded-full bg-white transition-transform ${value === true ? 'translate-x-4' : ''}`} />
        </button>
      );
      break;
    case 'select':
      control = (
        <select
          id={id}
          value={String(value)}
          aria-describedby={describedBy}
          onChange={(e) => commit(e.target.value)}
          className="h-8 w-full rounded-md border border-line bg-canvas px-2 text-[13px] text-ink hover:border-line-strong"
        >
          {spec.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'int':
    case 'number':
      control = (
        <TextCommit
          id={id}
          inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
          value={String(value)}
          invalid={error !== null}
          describedBy={describedBy}
          onCommit={(text) => commit(text.trim() === '' ? Number.NaN : Number(text))}
          suffix={`${spec.min}–${spec.max}`}
        />
      );
      break;
    case 'ints':
      control = (
        <TextCommit
          id={id}
          inputMode="text"
          value={(value as readonly number[]).join(', ')}
          invalid={error !== null}
          describedBy={describedBy}
          onCommit={(text) => commit(text.split(/[\s,×x]+/).filter(Boolean).map(Number))}
        />
      );
      break;
  }

  return (
    <div className={`flex flex-col gap-1 ${spec.kind === 'bool' ? '' : ''}`} data-param={name}>
      <div className={spec.kind === 'bool' ? 'flex items-center justify-between gap-3' : 'flex flex-col gap-1'}>
        <label htmlFor={id} className="text-xs font-medium text-ink-muted">
          {spec.label}
        </label>
        {control}
      </div>
      {error && (
        <p id={errorId} role="alert" className="text-[11px] leading-4 text-danger-ink">
          {error}
        </p>
      )}
      <p id={helpId} className="text-[11px] leading-4 text-ink-faint">
        {spec.help}
      </p>
    </div>
  );
}

interface TextCommitProps {
  id: string;
  value: string;
  inputMode: 'numeric' | 'decimal' | 'text';
  invalid: boolean;
  describedBy: string;
  suffix?: string;
  onCommit: (text: string) => void;
}

/** A typed parameter, with its allowed range at the right. */
function TextCommit({ id, value, inputMode, invalid, describedBy, suffix, onCommit }: TextCommitProps) {
  return (
    <div className="relative">
      <DraftInput
        id={id}
        value={value}
        inputMode={inputMode}
        invalid={invalid}
        describedBy={describedBy}
        onCommit={onCommit}
        className={`h-8 w-full rounded-md border bg-canvas px-2 font-mono text-[13px] text-ink tabular-nums hover:border-line-strong ${suffix ? 'pr-20' : ''}`}
      />
      {suffix && <span className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 font-mono text-[10px] text-ink-faint">{suffix}</span>}
    </div>
  );
}
