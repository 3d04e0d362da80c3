import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
// '.js' names deploy/headers.ts: Vite's config loader warns of an import without an extension.
import { DEV_HEADERS, headersFile, PRODUCTION_HEADERS } from './deploy/headers.js';

export const PREVIEW_PORT = 4179;

export default defineConfig({
  plugins: [react(), tailwindcss(), headersFile()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true, // the maps ship: deploy/README.md says why
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The libraries of the first screen in chunks of their own: they change only when a version
          // does, so a new release of the app leaves them cached, and no chunk passes 500 kB. Only
          // libraries the first screen loads belong here (a group's chunk loads whole): the ones the
          // lazily loaded views use (uPlot, dagre) stay in those views' chunks.
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'xyflow', test: /[\\/]node_modules[\\/](@xyflow[\\/]|d3-|classcat[\\/])/ },
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
  // The production headers (deploy/headers.ts): preview sends them all, so the e2e suite runs under
  // the production CSP; dev sends all but the CSP, which React's hot-reload preamble would break.
  server: { headers: DEV_HEADERS },
  preview: { port: PREVIEW_PORT, strictPort: true, headers: PRODUCTION_HEADERS },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.vitest.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Unit tests live beside the code they test. The engine and worker run under Node.
          include: ['engine/**/*.test.ts', 'worker/**/*.test.ts', 'app/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'cli/**/*.test.ts', 'deploy/**/*.test.ts'],
        },
      },
      {
        // The engine's op, layer, tape, compiler and trainer suites again on the other kernel path
        // (WebAssembly for bare tapes, TypeScript for plans): engine/testing/other-kernels.setup.ts.
        extends: true,
        test: {
          name: 'engine, other kernels',
          include: ['engine/{ops,layers,core,compiler,train,optim,losses}/**/*.test.ts'],
          exclude: ['engine/train/kernel-paths.test.ts'],
          setupFiles: ['engine/testing/other-kernels.setup.ts'],
        },
      },
    ],
  },
});
