import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/src/**/*.test.{ts,tsx}', 'apps/web/e2e/**/*.test.ts', 'apps/web/vite-plugins/**/*.test.ts', 'bench/src/**/*.test.ts', 'bench/lighthouse/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more parallel files only adds contention for the database.
    maxWorkers: 2,
  },
});
