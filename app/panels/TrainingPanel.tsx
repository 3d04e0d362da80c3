import { lazy } from 'react';
import type { CompileIssue } from '../../engine/compiler/types';
import { useCompiled } from '../state/compiled';
import { graphStore, useGraph } from '../state/graph';
import { training, useTraining, type TrainingStatus } from '../training/store';
import { Button } from '../ui/Button';
import { actionById, actionHint, keysLabel } from '../shortcuts/actions';
import { PanelSection } from './PanelSection';
import { useDatasetSummary } from './training/datasetSummary';
import { CSV_DATASET_ID } from '../state/csvReading';
import { useCsvUpload } from '../state/csv';
import { Disclosure } from './training/Disclosure';
import { PlayIcon, RestartIcon } from './training/icons';
import { RunReadout } from './training/RunReadout';
import { SettingsSection, useSettingsSummary } from './training/SettingsSection';
import { OnDemand } from '../ui/OnDemand';

// The dataset picker (its previews and the CSV upload) loads when the section is first opened.
const DatasetSection = lazy(() => import('./training/DatasetSection').then((m) => ({ default: m.DatasetSection })));

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

/**
 * The run controls (Train, Pause, Step, Reset) and the live readout, always in view; below them
 * the dataset and the settings, in sections that fold away and scroll when the panel is short.
 */
export function TrainingPanel() {
  const status = useTraining((s) => s.status);
  const queuedSteps = useTraining((s) => s.queuedSteps);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const nodeCount = useGraph((s) => s.doc.nodes.length);
  const { errorCount, datasetError } = useCompiled();
  const canRun = nodeCount > 0 && errorCount === 0;
  // Training on its own (not the steps of Step clicks, which queue up and may be clicked again).
  const running = status === 'training' && queuedSteps === 0;
  const loaded = status === 'ready' || status === 'paused' || status === 'done' || status === 'diverged' || status === 'training';
  const datasetSummary = useDatasetSummary();
  const settingsSummary = useSettingsSummary();
  const trainWill = useTrainDescription();
  const trainHint = actionHint('trainOrPause');

  return (
    <PanelSection
      id="training"
      title="Training"
      className="min-h-0 border-t border-line"
      aside={
        <span role="status" aria-label="Training status" className={`rounded-full border px-2 py-px text-[11px] font-medium ${STATUS_STYLE[status]}`}>
          {STATUS_LABEL[status]}
        </span>
      }
    >
      <div className="flex shrink-0 flex-col gap-3 px-4 pb-4">
        <div className="flex flex-col gap-2">
          <div className="flex gap-2">
            <Button
              variant="primary"
              disabled={!canRun || running || status === 'loading'}
              className="min-w-0 flex-1"
              onClick={() => void training.train()}
              aria-label="Train"
              aria-describedby="train-will"
              {...trainHint}
              title={`${trainWill.long} (${keysLabel(actionById('trainOrPause'))})`}
            >
              <PlayIcon />
              Train
              {trainWill.short && <span className="truncate text-[11px] font-normal text-white/75">· {trainWill.short}</span>}
            </Button>
            <span id="train-will" className="sr-only">
              {trainWill.long}
            </span>
            {loaded && step > 0 && (
              <Button disabled={!canRun} onClick={() => void training.trainFromScratch()} title="Train from scratch: fresh weights from the seed, then train">
                <RestartIcon />
                From scratch
              </Button>
            )}
          </div>
          <div className="grid grid-cols-3 gap-2">
            <Button disabled={!running} onClick={() => void training.pause()} {...trainHint}>
              Pause
            </Button>
            <Button disabled={!canRun || running || status === 'diverged'} onClick={() => void training.step(1)} {...actionHint('step')}>
              Step
              {queuedSteps > 1 && <span className="font-mono text-[11px] text-ink-faint tabular-nums">+{queuedSteps - 1}</span>}
            </Button>
            <Button disabled={!loaded} onClick={() => void training.reset()} title="Start over from fresh weights, paused">
              Reset
            </Button>
          </div>
        </div>

        <LoadProgressLine />
        <RunReadout />
        <TrainingMessages canRun={canRun} nodeCount={nodeCount} datasetError={datasetError} />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <Disclosure title="Dataset" summary={datasetSummary}>
          {/* While it loads: the picker's height, so the section does not jump. */}
          <OnDemand fallback={<div className="h-8" />}>
            <DatasetSection />
          </OnDemand>
        </Disclosure>
        <Disclosure title="Settings" summary={settingsSummary}>
          <SettingsSection />
        </Disclosure>
      </div>
    </PanelSection>
  );
}

/** What Train does now, in a few words for the button and in a sentence for its title and screen readers. */
function useTrainDescription(): { short: string; long: string } {
  const status = useTraining((s) => s.status);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const { epochs, stopAtEpochs } = useGraph((s) => s.doc.training);
  if (status === 'diverged') return { short: 'start over', long: 'Train starts over from fresh weights with the current settings, since this run diverged.' };
  if (status === 'done') return { short: `${epochs} more epochs`, long: `Train continues from the current weights for ${epochs} more epochs.` };
  if ((status === 'paused' || status === 'ready') && step > 0) {
    return { short: 'continue', long: stopAtEpochs ? 'Train continues from the current weights until the epoch count.' : 'Train continues from the current weights until you pause it.' };
  }
  return { short: '', long: stopAtEpochs ? `Train from fresh weights for ${epochs} epochs.` : 'Train from fresh weights until you pause it.' };
}

/** While a model loads: what it is doing (a large dataset or model takes a while). */
function LoadProgressLine() {
  const progress = useTraining((s) => (s.status === 'loading' ? s.loadProgress : null));
  if (!progress) return null;
  const percent = progress.fraction !== undefined ? Math.round(progress.fraction * 100) : null;
  return (
    <div role="status" data-testid="load-progress" className="flex flex-col gap-1 text-xs text-ink-muted">
      <span>
        {progress.message}
        {percent !== null && <span className="ml-1 font-mono text-ink-faint tabular-nums">{percent}%</span>}
      </span>
      {percent !== null && (
        <div className="h-1 overflow-hidden rounded-full bg-line" aria-hidden="true">
          <div className="h-full rounded-full bg-accent/70 transition-[width]" style={{ width: `${percent}%` }} />
        </div>
      )}
    </div>
  );
}

interface MessagesProps {
  canRun: boolean;
  nodeCount: number;
  datasetError: string | null;
}

function TrainingMessages({ canRun, nodeCount, datasetError }: MessagesProps) {
  const loadErrors = useTraining((s) => s.loadErrors);
  const workerNotice = useTraining((s) => s.workerNotice);
  const divergence = useTraining((s) => s.snapshot?.divergence);
  const dataset = useGraph((s) => s.doc.training.dataset);
  const csvRead = useCsvUpload((s) => s.reading !== null);
  return (
    <>
      {divergence && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
          {divergence.message}
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
            : datasetError
              ? // Without a dataset the canvas compiles against a stand-in, so its marks are not the point yet.
                dataset === CSV_DATASET_ID
                ? csvRead
                  ? 'The CSV cannot be used as it is: see Dataset below for where, and why.'
                  : 'Upload a CSV under Dataset below to train on it.'
                : `Dataset: ${datasetError}`
              : 'Fix what is marked on the canvas to train:'}
        </p>
      )}
      {!canRun && nodeCount > 0 && !datasetError && <ProblemList />}
    </>
  );
}

/**
 * The graph's errors, each with the layer it is on (the copy of a layer's input problem on the
 * edge into it is not repeated), two lines each; a click opens the layer (or edge) in the inspector, which has the
 * whole message and the fix.
 */
function ProblemList() {
  const { graph } = useCompiled();
  const errors = uniqueErrors(graph.issues, (id) => graph.edges.get(id)?.target);
  const shown = errors.slice(0, 3);
  return (
    <ul aria-label="Problems" className="flex flex-col gap-1.5">
      {shown.map((issue, i) => {
        const where = issue.nodeId ? (graph.nodes.get(issue.nodeId)?.name ?? issue.nodeId) : issue.edgeId ? 'a connection' : 'the graph';
        return (
          <li key={i}>
            <button
              type="button"
              title={issue.fix ? `${issue.message} ${issue.fix}` : issue.message}
              onClick={() => graphStore.getState().select(issue.nodeId ? { nodes: [issue.nodeId] } : issue.edgeId ? { edges: [issue.edgeId] } : {})}
              className="w-full rounded-md border border-danger/40 bg-danger/10 px-3 py-1.5 text-left text-xs leading-5 text-danger-ink transition-colors hover:border-danger/70"
            >
              <span className="line-clamp-2">
                <span className="font-mono font-semibold">{where}</span>: {issue.message}
              </span>
            </button>
          </li>
        );
      })}
      {errors.length > shown.length && <li className="text-xs text-ink-faint">and {errors.length - shown.length} more on the canvas.</li>}
    </ul>
  );
}

export function uniqueErrors(issues: readonly CompileIssue[], edgeTarget: (edgeId: string) => string | undefined): CompileIssue[] {
  // The compiler reports a layer's input problem on the layer and again on the edge into it.
  const onNodes = new Set(issues.filter((i) => i.severity === 'error' && i.nodeId).map((i) => `${i.nodeId}\u0000${i.message}`));
  return issues.filter((i) => i.severity === 'error' && !(i.edgeId && !i.nodeId && onNodes.has(`${edgeTarget(i.edgeId)}\u0000${i.message}`)));
}
