import type { ReactNode } from 'react';
import { useGraph } from '../../state/graph';
import { useTraining } from '../../training/store';
import { EngineTag } from './EngineTag';
import { formatTimeLeft, runProgress } from './progress';

/** The live numbers of a run: loss, test metric, progress through the epochs, speed and time left. */
export function RunReadout() {
  const snapshot = useTraining((s) => s.snapshot);
  const trainCount = useTraining((s) => s.info?.trainCount);
  const engine = useTraining((s) => s.info?.engine);
  const batchSize = useGraph((s) => s.doc.training.batchSize);
  const epochs = useGraph((s) => (s.doc.training.stopAtEpochs ? s.doc.training.epochs : null));
  // The epoch's running mean (as Keras prints it) reads calmly; one batch's loss jumps around.
  const loss = snapshot ? (Number.isFinite(snapshot.runningLoss) ? snapshot.runningLoss : snapshot.trainLoss) : NaN;
  const hasLoss = snapshot !== null && snapshot.step > 0 && Number.isFinite(loss);
  const progress = snapshot ? runProgress(snapshot, trainCount, batchSize) : null;
  const test = snapshot?.evaluation?.test;
  const running = snapshot?.state === 'training';

  return (
    <div className="flex flex-col gap-2 rounded-lg border border-line bg-canvas p-3">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-xs font-medium text-ink-muted">Loss</span>
        <span className="flex min-w-0 items-baseline gap-2">
          {snapshot && snapshot.step > 0 && test && (
            <span className="truncate font-mono text-[11px] text-ink-muted tabular-nums">
              {test.accuracy !== undefined ? `test acc ${formatAccuracy(test.accuracy)}` : `test loss ${formatLoss(test.loss)}`}
            </span>
          )}
          {engine && <EngineTag engine={engine} testId="engine-path" />}
        </span>
      </div>
      <p className="-mt-1 text-2xl leading-8 font-light text-ink tabular-nums">
        {hasLoss ? (
          <span data-testid="loss-value" title="Training loss, averaged over this epoch's batches">{formatLoss(loss)}</span>
        ) : (
          <>
            <span aria-hidden="true" className="text-ink-faint">
              –
            </span>
            <span className="sr-only">No loss yet</span>
          </>
        )}
      </p>
      <div
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={progress ? (progress.epochTarget ?? Math.floor(progress.epochsDone) + 1) : (epochs ?? 1)}
        aria-valuenow={progress ? Number(progress.epochsDone.toFixed(2)) : 0}
        aria-valuetext={progress ? (progress.epochTarget === null ? `epoch ${progress.epoch}, until paused` : `epoch ${progress.epoch} of ${progress.epochTarget}`) : 'not started'}
        className="h-1.5 overflow-hidden rounded-full bg-line"
      >
        {/* No width transition: the bar moves at the snapshot rate, and a transition would relayout and repaint the page every frame of training. */}
        <div
          className={`h-full rounded-full ${snapshot?.state === 'done' ? 'bg-accent-hover' : running ? 'bg-accent' : 'bg-accent/60'}`}
          style={{ width: `${((progress?.fraction ?? 0) * 100).toFixed(2)}%` }}
        />
      </div>
      <dl className="grid grid-cols-2 gap-x-2 gap-y-0.5 font-mono text-[11px] text-ink-faint tabular-nums">
        <Stat label="Epoch">
          {progress ? (
            <>
              epoch <span className="text-ink-muted">{progress.epoch}</span>
              {progress.epochTarget !== null && ` / ${progress.epochTarget}`}
            </>
          ) : (
            `epoch –${epochs !== null ? ` / ${epochs}` : ''}`
          )}
        </Stat>
        <Stat label="Step" end>
          step <span className="text-ink-muted" data-testid="step-count">{snapshot ? snapshot.step.toLocaleString('en-US') : '–'}</span>
        </Stat>
        <Stat label="Speed">
          <span className={running ? 'text-ink-muted' : ''}>{running ? Math.round(snapshot.samplesPerSecond).toLocaleString('en-US') : '–'}</span> samples/s
        </Stat>
        <Stat label="Time left" end>
          {snapshot?.state === 'done' ? 'finished' : running && progress ? (progress.epochTarget === null ? 'until paused' : `${formatTimeLeft(progress.secondsLeft)} left`) : ''}
        </Stat>
      </dl>
    </div>
  );
}

/** A number of the readout; the visible text says what it is, the term is for screen readers. */
function Stat({ label, end = false, children }: { label: string; end?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 truncate ${end ? 'text-right' : ''}`}>
      <dt className="sr-only">{label}</dt>
      <dd className="inline">{children}</dd>
    </div>
  );
}

function formatLoss(v: number): string {
  return v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(3) : v.toPrecision(4);
}

function formatAccuracy(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
