// The authorization matrix of the accounts issue (packages/api/src/authorization.test.ts), run over
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

// Not a static import: the matrix lives in another package, outside this one's type-checked sources.
const matrix = '../../../../packages/api/src/authorization.test.ts';
await import(/* @vite-ignore */ matrix);

afterAll(() => {
  // Most calls really went over REST; what was handed to tRPC is what REST cannot express.
  console.info('matrix over REST:', restCallStats.rest, 'calls;', Object.fromEntries(restCallStats.handedToTrpc));
  expect(restCallStats.rest).toBeGreaterThan(1000);
});
