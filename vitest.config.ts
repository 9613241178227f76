import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/src/**/*.test.{ts,tsx}', 'apps/web/e2e/**/*.test.ts', 'apps/web/vite-plugins/**/*.test.ts', 'bench/src/**/*.test.ts', 'bench/lighthouse/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for something that must happen (a page loaded, an event shown); its 1 s default
    // failed a browser test on a loaded CI machine where the next page took longer. Waiting longer costs
    // nothing when the thing happens, and a test that never sees it still fails.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: more parallel files only adds contention for the database.
    maxWorkers: 2,
  },
});
