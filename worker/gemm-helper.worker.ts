/**
 * One helper thread of the training worker (worker/threads.ts): serves each arena it is posted, in
 * turn, computing the blocks of matrix products the engine hands it (engine/kernels/threads.ts).
 */
import { runGemmHelper } from '../engine/kernels/threads';

interface Attach {
  memory: object;
  module: object;
  control: number;
  slot: number;
}

self.onmessage = (event: MessageEvent<Attach>) => {
  const { memory, module, control, slot } = event.data;
  runGemmHelper(memory, module, control, slot);
};
