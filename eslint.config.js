// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Imports that would pull UI or browser-runtime code into a folder that must not depend on it. */
const uiImports = [
  { regex: '(^|/)app(/|$)', message: 'engine/ and worker/ must not import from app/ (the UI depends on them, never the reverse).' },
  { group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@xyflow/*', 'zustand', 'zustand/*'], message: 'UI libraries belong in app/.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'public/', 'engine/kernels/assembly/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The engine is pure: it runs under Node, in a worker and in tests. It may not reach into the
    // UI, the worker layer, or any runtime-specific API.
    files: ['engine/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...uiImports,
          { regex: '(^|/)worker(/|$)', message: 'engine/ must not import from worker/ (the worker depends on the engine, never the reverse).' },
          { group: ['comlink', 'node:*', 'fs', 'path', 'os'], message: 'engine/ is runtime-neutral: no worker plumbing and no Node APIs.' },
        ],
      }],
    },
  },
  {
    files: ['engine/**/*.test.ts', 'engine/testing/files.ts', 'engine/testing/node-thread*.ts', 'engine/export/testing/*.ts', 'engine/**/*.torchrun.ts'],
    rules: {
      // Tests may read fixtures from disk, run helper threads with worker_threads, and run PyTorch.
      'no-restricted-imports': ['error', { patterns: [...uiImports, { regex: '(^|/)worker(/|$)', message: 'engine/ must not import from worker/.' }] }],
    },
  },
  {
    files: ['worker/**/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: { 'no-restricted-imports': ['error', { patterns: uiImports }] },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Inside the app, state and its keepers (the graph, training, the stores, persistence's logic)
    // are read by the views and never read them: a view folder imported here would be a cycle in waiting.
    files: ['app/state/**/*.ts', 'app/training/**/*.ts', 'app/graph/**/*.ts', 'app/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./)+(panels|canvas|monitor|palette|layout|shortcuts|templates|about|ui|charts)(/|$)', message: 'app/state, app/training, app/graph and app/persistence logic must not import from the view folders (panels, canvas, monitor, palette, layout, …): views read state, not the reverse.' },
        ],
      }],
    },
  },
  {
    files: ['*.{js,ts,mjs}', 'scripts/**', 'e2e/**', 'bench/**', 'cli/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
