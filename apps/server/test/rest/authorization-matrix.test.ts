// The authorization matrix of the accounts issue (packages/api/src/<family>/authorization.test.ts), run over
// REST: its every call goes through the route table to the in-process app instead of the tRPC caller,
// and must come out exactly as the matrix expects over tRPC.
import { afterAll, expect, vi } from 'vitest';
import { restCallStats } from './rest-caller.js';

vi.mock('../../../../packages/api/src/testing/fixtures.ts', async (importOriginal) => {
  const fixtures = await importOriginal<typeof import('@gatehouse/api/testing')>();
  const { restCaller } = await import('./rest-caller.js');
  return {
    ...fixtures,
    callerFor: (...args: Parameters<typeof fixtures.callerFor>) =>
      restCaller(args[0], args[1] ?? {}, fixtures.callerFor(...args), args[2]),
  };
});

// Not static imports: the matrix lives in another package, outside this one's type-checked sources.
// Every family's file, on one database (useMatrixRuntime starts it once per test file).
const src = '../../../../packages/api/src';
const { families } = (await import(/* @vite-ignore */ `${src}/testing/authorization/families.ts`)) as {
  families: Record<string, unknown>;
};
for (const family of Object.keys(families)) await import(/* @vite-ignore */ `${src}/${family}/authorization.test.ts`);

afterAll(() => {
  // Most calls really went over REST; what was handed to tRPC is what REST cannot express.
  console.info('matrix over REST:', restCallStats.rest, 'calls;', Object.fromEntries(restCallStats.handedToTrpc));
  expect(restCallStats.rest).toBeGreaterThan(1000);
});
