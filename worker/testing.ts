/** Test helpers: a session behind comlink over a MessageChannel, as the page sees it (no real Worker). */
import * as Comlink from 'comlink';
import { readDatasetFile } from '../engine/testing/files';
import { createWorkerApi, type WorkerApi } from './api';
import { TrainingSession } from './session';
import type { WorkerLike } from './client';

/** A worker stand-in: the API exposed on one port of a MessageChannel, the other port as the "worker". */
export function fakeWorker(session = new TrainingSession({ readFile: readDatasetFile })): MessagePort & WorkerLike & { session: TrainingSession; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createWorkerApi(session), port1);
  return Object.assign(port2, {
    session,
    port: port1,
    terminate: () => {
      session.dispose();
      port1.close();
      port2.close();
    },
  });
}

/** `now`: the session's clock (default performance.now). */
export function remoteSession(now?: () => number): { api: Comlink.Remote<WorkerApi>; session: TrainingSession; close: () => void } {
  const worker = fakeWorker(new TrainingSession({ readFile: readDatasetFile, ...(now ? { now } : {}) }));
  return { api: Comlink.wrap<WorkerApi>(worker), session: worker.session, close: () => worker.terminate() };
}
