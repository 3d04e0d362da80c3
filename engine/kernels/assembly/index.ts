// The engine's WebAssembly kernels (AssemblyScript). `npm run build:wasm` compiles this file into
// engine/kernels/wasm-module.ts; engine/kernels/wasm.ts loads it. Every export works on byte
// addresses in the tape's arena (the imported memory) and allocates nothing.
export { gemm, gemmStrided, gemmJob, gemmScratchBytes } from './gemm';
export {
  addTo, reluForward, reluBackward, biasAdd, biasGrad, copyRuns, addRuns, maxPoolForward, maxPoolBackward, addSumSquares,
  dropoutForward, mulAddTo, addMoments,
} from './elementwise';
export { sgdUpdate, sgdMomentumUpdate, adamUpdate } from './optimizer';
