// The entry of one nodeThreadPool helper (node-threads.ts): registers tsx's loader in this thread,
// then runs the TypeScript helper (a worker thread does not inherit the loader its parent runs under).
import { register } from 'tsx/esm/api';

register();
await import('./node-thread-helper.ts');
