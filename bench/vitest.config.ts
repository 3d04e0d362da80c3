import { defineConfig } from 'vitest/config';

// The benchmarks run under Vitest's module runner rather than plain Node: TF.js's gradient
// registrations ship only as ES modules with directory imports, which Node cannot load but
// Vite resolves. Console output goes straight to the terminal.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    environment: 'node',
    testTimeout: 30 * 60_000,
    disableConsoleIntercept: true,
    reporters: ['dot'],
    pool: 'forks',
    fileParallelism: false,
  },
});
