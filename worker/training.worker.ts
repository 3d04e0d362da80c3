/** The training worker's entry: one session, exposed with comlink. */
import * as Comlink from 'comlink';
import { setThreadPool } from '../engine/kernels/threads';
import { createWorkerApi } from './api';
import { TrainingSession } from './session';
import { requestedHere, startHelperThreads } from './threads';

/** Datasets ship with the app under /datasets (never fetched from anywhere else). */
async function readDatasetFile(name: string): Promise<Uint8Array> {
  const response = await fetch(`/datasets/${name}`);
  if (!response.ok) throw new Error(`/datasets/${name} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

// Helper threads for the engine's matrix products, where the page is cross-origin isolated (and
// the device has the cores, or the page's address asked: the worker's name carries `threads=N`).
setThreadPool(startHelperThreads(requestedHere()));

Comlink.expose(createWorkerApi(new TrainingSession({ readFile: readDatasetFile })));
