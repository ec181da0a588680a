import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/{src,test}/**/*.test.ts'],
    // Every test file gets its own freshly migrated PostgreSQL database, so files run in parallel.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      // A cheap argon2 cost for tests only; production never reads a lower one.
      GATEHOUSE_PASSWORD_HASH: 'fast',
    },
  },
});
