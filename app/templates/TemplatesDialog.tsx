import { findBuiltinDataset } from '../../engine/data';
import { fromModelDefinition } from '../graph/document';
import { graphStore } from '../state/graph';
import { useUi } from '../state/ui';
import { Dialog } from '../ui/Dialog';
import { TEMPLATES, type Template } from './templates';

/** "New from template": each example model with its lesson. Opening one is a single undoable step. */
export function TemplatesDialog() {
  const close = () => useUi.getState().openDialog(null);
  const open = (t: Template) => {
    const store = graphStore.getState();
    const hadWork = store.doc.nodes.length > 0;
    store.replaceDocument(fromModelDefinition(t.model));
    store.notify('info', hadWork ? `Opened “${t.name}”. Undo (Ctrl+Z) brings your previous graph back.` : `Opened “${t.name}”.`);
    close();
    requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
  };
  return (
    <Dialog title="New from template" description="Start from a model that teaches one thing. Your current graph stays one undo away." onClose={close}>
      <ul className="grid grid-cols-1 gap-3 p-5 sm:grid-cols-2">
        {TEMPLATES.map((t) => {
          const dataset = findBuiltinDataset(t.model.training.dataset);
          return (
            <li key={t.id}>
              <button
                type="button"
                data-testid={`template-${t.id}`}
                onClick={() => open(t)}
                className="group flex h-full w-full flex-col gap-2 rounded-lg border border-line bg-raised p-4 text-left transition-colors hover:border-accent/70 hover:bg-hover"
              >
                <span className="flex items-baseline justify-between gap-3">
                  <span className="text-[14px] font-semibold text-ink">{t.name}</span>
                  <span className="shrink-0 rounded-full border border-line px-2 py-px text-[11px] text-ink-faint">{dataset?.name ?? t.model.training.dataset}</span>
                </span>
                <span className="text-[13px] leading-5 text-ink-muted">{t.lesson}</span>
                <span className="mt-auto pt-1 font-mono text-[11px] text-ink-faint">
                  {t.model.nodes.length} layers · {t.model.training.optimizer} · lr {t.model.training.learningRate}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
