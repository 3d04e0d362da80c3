import { openFile } from '../persistence/documents';
import { OPEN_FILE_INPUT_ID } from '../shortcuts/actions';
import { useGraph } from '../state/graph';
import { ActionButton, Icon } from './ActionButton';
import { LogoMark } from './LogoMark';

/** The app bar: the model's name, then the document's actions, editing, and help. Every button is an action (shortcuts/actions.ts). */
export function Header() {
  const name = useGraph((s) => s.doc.name);
  return (
    <header className="flex h-12 shrink-0 items-center justify-between gap-4 border-b border-line bg-panel px-3">
      <div className="flex min-w-0 items-center gap-3 pl-1">
        <LogoMark className="size-6 shrink-0" />
        <h1 className="text-[15px] font-semibold tracking-tight">Gradflow</h1>
        <span className="h-4 w-px shrink-0 bg-line-strong" aria-hidden="true" />
        <p className="truncate text-[13px] text-ink-muted" title={name ?? undefined}>
          {name ?? <span className="text-ink-faint">See how neural networks learn</span>}
        </p>
      </div>
      <nav aria-label="Toolbar" className="flex shrink-0 items-center gap-0.5">
        <ActionButton id="templates" icon={<Icon d="M2.5 2.5h4.5v4.5H2.5zM9 2.5h4.5v4.5H9zM2.5 9h4.5v4.5H2.5zM9 9h4.5v4.5H9z" />} />
        <ActionButton id="open" icon={<Icon d="M2.5 4.5v8h11v-6.5H8L6.5 4.5zM8 8v3.5M6.5 9.5 8 8l1.5 1.5" />} />
        <input
          id={OPEN_FILE_INPUT_ID}
          type="file"
          accept=".json,application/json,.safetensors"
          aria-label="Model file to open"
          className="hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void openFile(file);
          }}
        />
        <ActionButton id="export" icon={<Icon d="M8 2.5v8M5 7.5l3 3 3-3M3 13.5h10" />} />
        <ActionButton id="share" icon={<Icon d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1" />} />
        <ActionButton id="summary" icon={<Icon d="M3 4h10M3 8h10M3 12h6" />} />
        <ActionButton id="runs" icon={<Icon d="M2.5 13.5h11M3.5 11l3-4 2.5 2 4-5.5" />} />
        <Divider />
        <ActionButton id="undo" text="wide" icon={<Icon d="M5.5 4 2.5 7l3 3M2.5 7h7a3.5 3.5 0 0 1 0 7h-2" />} />
        <ActionButton id="redo" text="wide" icon={<Icon d="m10.5 4 3 3-3 3M13.5 7h-7a3.5 3.5 0 0 0 0 7h2" />} />
        <Divider />
        <ActionButton id="shortcuts" text="wide" icon={<Icon d="M2 4.5h12v7H2zM4.5 7h.01M7 7h.01M9.5 7h.01M11.5 7h.01M5 9.5h6" />} />
        <ActionButton id="about" text="wide" icon={<Icon d="M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12zM8 7.5v3.5M8 5h.01" />} />
      </nav>
    </header>
  );
}

function Divider() {
  return <span className="mx-1.5 h-5 w-px bg-line" aria-hidden="true" />;
}
