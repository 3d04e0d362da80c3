// One helper thread of nodeThreadPool (node-threads.ts): serves each arena it is posted, in turn.
import { parentPort } from 'node:worker_threads';
import { runGemmHelper } from '../kernels/threads';

parentPort!.on('message', ({ memory, module, control, slot }: { memory: object; module: object; control: number; slot: number }) => {
  runGemmHelper(memory, module, control, slot);
});
