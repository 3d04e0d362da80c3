import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { graphStore } from './state/graph';
import { connectTrainingToGraph, training, useTraining } from './training/store';
import { connectEdgeView } from './training/edgeView';
import { flushAutosave, startDocuments } from './persistence/documents';
import { startRuns } from './runs/runs';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Gradflow: index.html has no #root element to mount into.');

connectTrainingToGraph();
connectEdgeView();
startRuns(
  () => training.currentRun(),
  (listener) => useTraining.subscribe((s, previous) => s.historyVersion !== previous.historyVersion && listener()),
);
void startDocuments().then((restored) => {
  if (restored) requestAnimationFrame(() => window.dispatchEvent(new CustomEvent('gradflow:fit-view')));
});

/**
 * A small hook for end-to-end tests: kill the worker the way a crash or hang would, and read the
 * document. It changes nothing a user can reach.
 */
(window as unknown as { __gradflow: unknown }).__gradflow = {
  killWorker: () => training.killWorkerForTesting(),
  document: () => graphStore.getState().doc,
  flushAutosave,
};

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
