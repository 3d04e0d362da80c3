import { useId, useState, type ReactNode } from 'react';
import { DraftInput } from '../../ui/DraftInput';
import { graphStore } from '../../state/graph';
import { formatLearningRate, LR_SLIDER_MAX, learningRateToStop, stopToLearningRate } from './learningRateScale';
import { NUMERIC_SETTINGS, parseSetting, settingDefault, settingPatch, settingRange, type NumericSetting } from './settings';

/** Applies typed text to a setting through the graph store (undoable, autosaved); returns why it was refused. */
function applySetting(field: NumericSetting, text: string): string | null {
  const parsed = parseSetting(field, text);
  if (!parsed.ok) return parsed.problem;
  const { doc, setTraining } = graphStore.getState();
  const edit = settingPatch(doc.training, field, parsed.value);
  if (!edit.ok) return edit.problem;
  setTraining(edit.patch);
  return null;
}

interface RowProps {
  id: string;
  label: string;
  /** Between the label and the control: a range hint. */
  hint?: string;
  problem?: string | null;
  problemId?: string;
  children: ReactNode;
  below?: ReactNode;
}

/** One line of the settings sheet: label, hint and control; what is below it (a slider); the refusal. */
export function SettingRow({ id, label, hint, problem, problemId, children, below }: RowProps) {
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="min-w-0 flex-1 truncate text-xs text-ink-muted">
          {label}
        </label>
        {hint && <span className="shrink-0 font-mono text-[10px] text-ink-faint tabular-nums">{hint}</span>}
        <div className="w-24 shrink-0">{children}</div>
      </div>
      {below}
      {problem && (
        <p id={problemId} role="alert" className="text-[11px] leading-4 text-danger-ink">
          {problem}
        </p>
      )}
    </div>
  );
}

interface TextInputProps {
  id: string;
  value: string;
  invalid: boolean;
  describedBy?: string | undefined;
  placeholder?: string | undefined;
  onCommit: (text: string) => void;
}

/** A number typed as text (as the inspector's fields). */
function NumberInput({ id, value, invalid, describedBy, placeholder, onCommit }: TextInputProps) {
  return (
    <DraftInput
      id={id}
      value={value}
      invalid={invalid}
      describedBy={describedBy}
      placeholder={placeholder}
      inputMode="decimal"
      onCommit={onCommit}
      className="h-7 w-full rounded-md border bg-canvas px-2 text-right font-mono text-xs text-ink tabular-nums hover:border-line-strong"
    />
  );
}

/** A numeric setting checked against the schema; a refused value leaves the old one and says why. */
export function NumberSetting({ field, value }: { field: NumericSetting; value: number | undefined }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = `${id}-problem`;
  return (
    <SettingRow id={id} label={NUMERIC_SETTINGS[field].label} hint={settingRange(field)} problem={problem} problemId={problemId}>
      <NumberInput
        id={id}
        value={value === undefined ? '' : String(value)}
        invalid={problem !== null}
        describedBy={problem ? problemId : undefined}
        placeholder={settingDefault(field)}
        onCommit={(text) => setProblem(applySetting(field, text))}
      />
    </SettingRow>
  );
}

/** The learning rate: a log-scale slider from 1e-5 to 1, and a field for any value the schema takes. */
export function LearningRateSetting({ value }: { value: number }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = `${id}-problem`;
  const stop = learningRateToStop(value);
  const { beginGesture, endGesture } = graphStore.getState();
  return (
    <SettingRow
      id={id}
      label={NUMERIC_SETTINGS.learningRate.label}
      problem={problem}
      problemId={problemId}
      below={
        <div className="flex items-center gap-2">
          <span className="font-mono text-[10px] text-ink-faint" aria-hidden="true">
            1e-5
          </span>
          <input
            type="range"
            min={0}
            max={LR_SLIDER_MAX}
            step={1}
            value={stop}
            aria-label="Learning rate (log scale)"
            aria-valuetext={formatLearningRate(value)}
            // A drag is one undo step: the store folds the changes of a gesture together.
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              beginGesture();
            }}
            onPointerUp={() => endGesture()}
            onLostPointerCapture={() => endGesture()}
            onBlur={() => endGesture()}
            onChange={(e) => {
              setProblem(null);
              const lr = stopToLearningRate(Number(e.target.value));
              if (lr !== graphStore.getState().doc.training.learningRate) graphStore.getState().setTraining({ learningRate: lr });
            }}
            className="h-4 min-w-0 flex-1 cursor-pointer accent-accent"
          />
          <span className="font-mono text-[10px] text-ink-faint" aria-hidden="true">
            1
          </span>
        </div>
      }
    >
      <NumberInput
        id={id}
        value={formatLearningRate(value)}
        invalid={problem !== null}
        describedBy={problem ? problemId : undefined}
        onCommit={(text) => setProblem(applySetting('learningRate', text))}
      />
    </SettingRow>
  );
}
