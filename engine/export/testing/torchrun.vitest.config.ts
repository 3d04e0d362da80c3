/**
 * The torchrun check (engine/export/pytorch-ddp.torchrun.ts) on its own: npm run test:torchrun.
 * One file, nothing beside it, so the two training processes have the machine.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['engine/export/pytorch-ddp.torchrun.ts'],
    testTimeout: 300_000,
    reporters: ['default', './scripts/summary-reporter.vitest.ts'],
  },
});
