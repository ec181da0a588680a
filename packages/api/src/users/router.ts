import { ZApiKey, ZApiKeyPage, ZCreateKeyInput, ZKeyIdInput, ZNewKey } from '../api-keys/schema.js';
import * as keys from '../api-keys/service.js';
import { ZPageInput } from '../pagination.js';
import { authedProcedure, router } from '../trpc.js';

// The Strongly-shaped entry points for a user's own keys: the same service as auth.*Key.
export const usersRouter = router({
  apiKeys: authedProcedure
    .input(ZPageInput.strict().optional())
    .output(ZApiKeyPage)
    .query(({ ctx, input }) => keys.listKeys(ctx, { limit: input?.limit ?? 50, cursor: input?.cursor })),
  createApiKey: authedProcedure
    .input(ZCreateKeyInput.pick({ name: true, scopes: true }))
    .output(ZNewKey)
    .mutation(({ ctx, input }) => keys.createKey(ctx, input)),
  revokeApiKey: authedProcedure
    .input(ZKeyIdInput)
    .output(ZApiKey)
    .mutation(({ ctx, input }) => keys.revokeKey(ctx, input.keyId)),
});
