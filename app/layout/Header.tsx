import { useRef, type ReactNode } from 'react';
import { copyShareLink, exportDocument, openFile } from '../persistence/documents';
import { requestFitView, tidyLayout } from '../shortcuts/useShortcuts';
import { graphStore, useGraph } from '../state/graph';
import { useUi } from '../state/ui';
import { Button } from '../ui/Button';
import { LogoMark } from './LogoMark';

export function Header() {
  const canUndo = useGraph((s) => s.past.length > 0);
  const canRedo = useGraph((s) => s.future.length > 0);
  const empty = useGraph((s) => s.doc.nodes.length === 0);
  const showShapes = useUi((s) => s.showEdgeShapes);
  const name = useGraph((s) => s.doc.name);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <header className="flex h-12 shrink-0 items-center justify-between gap-4 border-b border-line bg-panel px-4">
      <div className="flex min-w-0 items-center gap-3">
        <LogoMark className="size-6 shrink-0" />
        <h1 className="text-[15px] font-semibold tracking-tight">Gradflow</h1>
        <span className="h-4 w-px bg-line-strong" aria-hidden="true" />
        <p className="truncate text-[13px] text-ink-faint">{name ?? 'See how neural networks learn'}</p>
      </div>
      <nav aria-label="Toolbar" className="flex items-center gap-1.5">
        <Button onClick={() => useUi.getState().openDialog('templates')}>
          <Icon d="M2.5 2.5h4.5v4.5H2.5zM9 2.5h4.5v4.5H9zM2.5 9h4.5v4.5H2.5zM9 9h4.5v4.5H9z" />
          Templates
        </Button>
        <Button onClick={() => fileInput.current?.click()} title="Open a .gradflow.json file (or drop it on the canvas)">
          <Icon d="M2.5 4.5v8h11v-6.5H8L6.5 4.5zM8 8v3.5M6.5 9.5 8 8l1.5 1.5" />
          Open
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          aria-label="Model file to open"
          className="hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void openFile(file);
          }}
        />
        <Button onClick={exportDocument} disabled={empty} title="Download the model as a .gradflow.json file">
          <Icon d="M8 2.5v8M5 7.5l3 3 3-3M3 13.5h10" />
          Export
        </Button>
        <Button onClick={() => void copyShareLink()} disabled={empty} title="Copy a link that carries this model">
          <Icon d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1" />
          Share
        </Button>
        <Button onClick={() => useUi.getState().openDialog('summary')} disabled={empty} title="Keras-style summary: layers, shapes, parameters">
          <Icon d="M3 4h10M3 8h10M3 12h6" />
          Summary
        </Button>
        <Divider />
        <IconButton label="Undo" keys="Ctrl+Z" disabled={!canUndo} onClick={() => graphStore.getState().undo()}>
          <Icon d="M5.5 4 2.5 7l3 3M2.5 7h7a4 4 0 0 1 0 8h-2" />
        </IconButton>
        <IconButton label="Redo" keys="Ctrl+Shift+Z" disabled={!canRedo} onClick={() => graphStore.getState().redo()}>
          <Icon d="m10.5 4 3 3-3 3M13.5 7h-7a4 4 0 0 0 0 8h2" />
        </IconButton>
        <Divider />
        <IconButton label="Tidy layout" keys="L" disabled={empty} onClick={tidyLayout}>
          <Icon d="M2 3.5h4v3H2zM10 2h4v3h-4zM10 9.5h4v3h-4zM6 5h4M8 5v6.5h2" />
        </IconButton>
        <IconButton label="Fit view" keys="F" disabled={empty} onClick={requestFitView}>
          <Icon d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" />
        </IconButton>
        <IconButton label={showShapes ? 'Hide shapes on edges' : 'Show shapes on edges'} keys="S" pressed={showShapes} onClick={() => useUi.getState().setShowEdgeShapes(!showShapes)}>
          <Icon d="M2 8h3M11 8h3M5.5 5.5h5v5h-5z" />
        </IconButton>
        <Divider />
        <IconButton label="Keyboard shortcuts" keys="?" onClick={() => useUi.getState().openDialog('shortcuts')}>
          <span className="text-[13px] font-semibold">?</span>
        </IconButton>
        <IconButton label="About Gradflow and its datasets" onClick={() => useUi.getState().openDialog('about')}>
          <Icon d="M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12zM8 7.5v3.5M8 5h.01" />
        </IconButton>
      </nav>
    </header>
  );
}

function Divider() {
  return <span className="mx-1 h-5 w-px bg-line" aria-hidden="true" />;
}

interface IconButtonProps {
  label: string;
  keys?: string;
  disabled?: boolean;
  pressed?: boolean;
  onClick: () => void;
  children: ReactNode;
}

function IconButton({ label, keys, disabled, pressed, onClick, children }: IconButtonProps) {
  return (
    <button
      type="button"
      aria-label={label}
      title={keys ? `${label} (${keys})` : label}
      {...(keys ? { 'aria-keyshortcuts': keys.replace('Ctrl', 'Control') } : {})}
      {...(pressed !== undefined ? { 'aria-pressed': pressed } : {})}
      disabled={disabled}
      onClick={onClick}
      className={`grid size-8 place-items-center rounded-md transition-colors disabled:cursor-not-allowed disabled:opacity-35 ${
        pressed ? 'bg-accent/15 text-accent-hover' : 'text-ink-muted hover:bg-hover hover:text-ink'
      }`}
    >
      {children}
    </button>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}
