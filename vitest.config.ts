import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// One test command for every part. Real-browser and multi-process tests live in test/e2e and run
// one file at a time, because they start servers and Chromium on a 2-core machine.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['test/shared/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'backend', include: ['test/backend/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'tracker', include: ['test/tracker/**/*.test.ts'], environment: 'happy-dom' } },
      {
        plugins: [WxtVitest(), preact()],
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      { plugins: [preact()], test: { name: 'console', include: ['test/console/**/*.test.{ts,tsx}'], environment: 'happy-dom' } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
