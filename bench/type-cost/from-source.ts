// The same calls with the router type inferred from the server's source, for comparison.
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../packages/api/src/root.js';

const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: 'http://localhost:3000/trpc', transformer: undefined as never })],
});
export const me = await trpc.auth.whoami.query();
export const again = await trpc.auth.whoami.query();
export const org: string | undefined = me.organization?.name;
