/** The training worker's entry: one session, exposed with comlink. */
import * as Comlink from 'comlink';
import { createWorkerApi } from './api';
import { TrainingSession } from './session';

/** Datasets ship with the app under /datasets (never fetched from anywhere else). */
async function readDatasetFile(name: string): Promise<Uint8Array> {
  const response = await fetch(`/datasets/${name}`);
  if (!response.ok) throw new Error(`/datasets/${name} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

Comlink.expose(createWorkerApi(new TrainingSession({ readFile: readDatasetFile })));
