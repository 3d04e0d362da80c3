/**
 * Vitest setup of the "engine, other kernels" project (vite.config.ts): runs the engine's suites on
 * the kernel path the default project does not. By default a bare tape (the op and layer tests)
 * lives on the JS heap and a plan (compiler, trainer, examples) on WebAssembly; here bare tapes get
 * a WebAssembly arena and plans the TypeScript kernels, so every op, gradient check, TF.js
 * comparison and allocation test runs on both paths.
 */
import { Arena, setDefaultArena, setPreferredKernelPath } from '../core/arena';

/** Room for the largest tensors the op tests make; anything larger falls back to the heap and is counted. */
const TEST_ARENA_BYTES = 16 << 20;

setDefaultArena(() => Arena.wasm(TEST_ARENA_BYTES));
setPreferredKernelPath('js');
