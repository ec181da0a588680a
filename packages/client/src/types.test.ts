// Type-level test: `pnpm test` type-checks this file, so a lost inference fails the build.
import { describe, expectTypeOf, it } from 'vitest';
import { createGatehouseClient, type RouterInputs, type RouterOutputs } from './index.js';

describe('typed client', () => {
  it('infers every input and output from the router type', () => {
    const gh = createGatehouseClient({ url: 'http://localhost:3000', apiKey: 'gh_x' });
    type Me = Awaited<ReturnType<typeof gh.auth.whoami>>;
    expectTypeOf<Me>().toEqualTypeOf<RouterOutputs['auth']['whoami']>();
    expectTypeOf<Me['organization']>().toEqualTypeOf<{ id: string; name: string } | null>();
    expectTypeOf<Me['principal']>().toEqualTypeOf<'user' | 'serviceAccount'>();
    expectTypeOf<Me['apiKey']>().toEqualTypeOf<
      { id: string; keyPrefix: string; scopes: string[] | null } | undefined
    >();
    expectTypeOf(gh.trpc.auth.whoami.query).returns.resolves.toEqualTypeOf<Me>();
    expectTypeOf<RouterInputs['auth']['whoami']>().toEqualTypeOf<void>();
    // @ts-expect-error: no such procedure
    gh.trpc.auth.nope;
  });
});
