import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

export const PREVIEW_PORT = 4179;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: PREVIEW_PORT, strictPort: true },
  test: {
    // Unit tests live beside the code they test. The engine and worker run under Node.
    include: ['engine/**/*.test.ts', 'worker/**/*.test.ts', 'app/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'cli/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.vitest.ts'],
  },
});
