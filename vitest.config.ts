import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

/** Ends the run with the plain `N passed, N failed, N skipped` line that CI reads. */
const summary: Reporter = {
  onTestRunEnd(modules) {
    const count = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const m of modules) for (const test of m.children.allTests()) count[test.result().state]++;
    console.log(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  },
};

export default defineConfig({
  resolve: {
    // graphql 16 has no `exports`: Vite would give our sources its ESM build while graphql-yoga, run
    // by Node, gets the CommonJS one, and two GraphQLError classes fail each other's instanceof
    // checks. Node resolves the CommonJS build for both, so tests do the same.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/{src,test}/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Every test file gets its own freshly migrated PostgreSQL database, so files run in parallel.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on these 2-core machines, every file in
    // turn. The files mostly wait on PostgreSQL, so more workers than cores overlap that waiting
    // (`vitest run --maxWorkers N` to try another count).
    maxWorkers: 3,
    // No test passes on a 500: see packages/api/src/testing/internal-errors.ts.
    setupFiles: ['packages/api/src/testing/no-internal-errors.ts'],
    reporters: ['default', summary],
    testTimeout: 30_000,
    // The React test (happy-dom) calls a server on another origin, as a browser app would with CORS.
    environmentOptions: { happyDOM: { settings: { fetch: { disableSameOriginPolicy: true } } } },
    hookTimeout: 60_000,
    env: {
      // A cheap argon2 cost for tests only; production never reads a lower one.
      GATEHOUSE_PASSWORD_HASH: 'fast',
    },
  },
});
