import { BUILTIN_DATASETS } from '../../engine/data';
import { useCompiled } from '../state/compiled';
import { graphStore, useGraph } from '../state/graph';
import { training, useTraining, type TrainingStatus } from '../training/store';
import { Button } from '../ui/Button';
import { PanelSection } from './PanelSection';

const STATUS_LABEL: Record<TrainingStatus, string> = {
  idle: 'Idle',
  loading: 'Loading…',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  done: 'Finished',
  diverged: 'Diverged',
};

const STATUS_STYLE: Record<TrainingStatus, string> = {
  idle: 'border-line text-ink-faint',
  loading: 'border-line text-ink-muted',
  ready: 'border-line text-ink-muted',
  training: 'border-ok/40 bg-ok/10 text-ok',
  paused: 'border-warn/40 bg-warn/10 text-warn',
  done: 'border-accent/40 bg-accent/10 text-accent-hover',
  diverged: 'border-danger/50 bg-danger/10 text-danger-ink',
};

/** Dataset, the run controls (Train, Pause, Step, Reset), and the live loss. */
export function TrainingPanel() {
  const status = useTraining((s) => s.status);
  const dataset = useGraph((s) => s.doc.training.dataset);
  const nodeCount = useGraph((s) => s.doc.nodes.length);
  const { errorCount } = useCompiled();
  const canRun = nodeCount > 0 && errorCount === 0;
  const busy = status === 'training' || status === 'loading';
  const loaded = status === 'ready' || status === 'paused' || status === 'done' || status === 'diverged' || status === 'training';

  return (
    <PanelSection
      id="training"
      title="Training"
      className="shrink-0 border-t border-line"
      aside={
        <span role="status" aria-label="Training status" className={`rounded-full border px-2 py-px text-[11px] font-medium ${STATUS_STYLE[status]}`}>
          {STATUS_LABEL[status]}
        </span>
      }
    >
      <div className="flex flex-col gap-4 px-4 pb-4">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="dataset" className="text-xs font-medium text-ink-muted">
            Dataset
          </label>
          <div className="relative">
            <select
              id="dataset"
              value={dataset}
              onChange={(e) => graphStore.getState().setTraining({ dataset: e.target.value })}
              className="h-8 w-full appearance-none rounded-md border border-line bg-canvas pr-8 pl-2.5 text-[13px] text-ink hover:border-line-strong"
            >
              {BUILTIN_DATASETS.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            <ChevronIcon />
          </div>
        </div>

        <div className="flex flex-col gap-2">
          <Button variant="primary" disabled={!canRun || busy} className="w-full" onClick={() => void training.train()} aria-keyshortcuts="Shift+Enter">
            <PlayIcon />
            Train
          </Button>
          <div className="grid grid-cols-3 gap-2">
            <Button disabled={status !== 'training'} onClick={() => void training.pause()}>
              Pause
            </Button>
            <Button disabled={!canRun || busy || status === 'diverged'} onClick={() => void training.step(1)}>
              Step
            </Button>
            <Button disabled={!loaded} onClick={() => void training.reset()}>
              Reset
            </Button>
          </div>
        </div>

        <LossReadout />
        <TrainingMessages canRun={canRun} errorCount={errorCount} nodeCount={nodeCount} />
      </div>
    </PanelSection>
  );
}

function LossReadout() {
  const snapshot = useTraining((s) => s.snapshot);
  const hasLoss = snapshot !== null && snapshot.step > 0 && Number.isFinite(snapshot.trainLoss);
  return (
    <div className="rounded-lg border border-line bg-canvas p-3">
      <div className="flex items-baseline justify-between">
        <span className="text-xs font-medium text-ink-muted">Loss</span>
        <span className="font-mono text-[11px] text-ink-faint tabular-nums">
          {snapshot ? `epoch ${snapshot.epoch + 1} · step ${snapshot.step.toLocaleString('en-US')}` : 'step —'}
        </span>
      </div>
      <p className="mt-1 text-2xl leading-8 font-light text-ink tabular-nums">
        {hasLoss ? (
          <span data-testid="loss-value">{formatLoss(snapshot.trainLoss)}</span>
        ) : (
          <>
            <span aria-hidden="true" className="text-ink-faint">
              –
            </span>
            <span className="sr-only">No loss yet</span>
          </>
        )}
      </p>
      {snapshot && snapshot.step > 0 && (
        <p className="mt-1 font-mono text-[11px] text-ink-faint tabular-nums">
          {Math.round(snapshot.samplesPerSecond).toLocaleString('en-US')} samples/s
          {snapshot.evaluation && ` · test acc ${formatAccuracy(snapshot.evaluation.test.accuracy)}`}
        </p>
      )}
    </div>
  );
}

function TrainingMessages({ canRun, errorCount, nodeCount }: { canRun: boolean; errorCount: number; nodeCount: number }) {
  const loadErrors = useTraining((s) => s.loadErrors);
  const workerNotice = useTraining((s) => s.workerNotice);
  const divergence = useTraining((s) => s.snapshot?.divergence);
  return (
    <>
      {divergence && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
          {divergence.message} Press Reset to start over.
        </p>
      )}
      {loadErrors.length > 0 && (
        <ul role="alert" className="flex flex-col gap-1 rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
          {loadErrors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
      {workerNotice && (
        <p role="status" data-testid="worker-notice" className="rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-xs leading-5 text-warn">
          {workerNotice}
        </p>
      )}
      {!canRun && (
        <p className="text-xs leading-5 text-ink-faint">
          {nodeCount === 0
            ? 'Build a network on the canvas, or open a template, to start training.'
            : `Fix ${errorCount === 1 ? 'the problem' : `the ${errorCount} problems`} marked on the canvas to train.`}
        </p>
      )}
    </>
  );
}

function formatLoss(v: number): string {
  return v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(3) : v.toPrecision(4);
}

function formatAccuracy(v: number | undefined): string {
  return v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
      <path d="M4.5 2.8v10.4a.6.6 0 0 0 .9.5l8.3-5.2a.6.6 0 0 0 0-1L5.4 2.3a.6.6 0 0 0-.9.5Z" />
    </svg>
  );
}

function ChevronIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="m4.5 6.5 3.5 3.5 3.5-3.5" />
    </svg>
  );
}
