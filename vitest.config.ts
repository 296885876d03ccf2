import { defineConfig } from 'vitest/config';

// Two projects: unit tests in Node (no DOM), and the book in a real browser
// (Debian's Chromium through playwright-core, against the built site).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          // Tests that boot machines or run the CLI in a subprocess take seconds on a loaded 2-core CI machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // One test file at a time (one Chromium on the machine at once), each in its own fork.
          pool: 'forks',
          maxWorkers: 1,
        },
      },
    ],
  },
});
