import { ZApiKey, ZApiKeyPage, ZCreateKeyInput, ZKeyIdInput, ZNewKey } from '../api-keys/schema.js';
import * as keys from '../api-keys/service.js';
import { ZPageInput } from '../pagination.js';
import { authedProcedure, memberProcedure, router } from '../trpc.js';
import { ZListUsersInput, ZUpdateMeInput, ZUser, ZUserPage, ZUserRef, ZUserRefByIdOrEmail } from './schema.js';
import * as users from './service.js';

export const usersRouter = router({
  me: authedProcedure.output(ZUser).query(({ ctx }) => users.me(ctx)),
  updateMe: authedProcedure
    .input(ZUpdateMeInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => users.updateMe(ctx, input)),
  list: memberProcedure('members:read')
    .input(ZListUsersInput)
    .output(ZUserPage)
    .query(({ ctx, input }) => users.listUsers(ctx, input)),
  retrieve: memberProcedure('members:read')
    .input(ZUserRef)
    .output(ZUser)
    .query(({ ctx, input }) => users.retrieveUser(ctx, input.userId)),
  deactivate: memberProcedure('members:update')
    .input(ZUserRefByIdOrEmail)
    .output(ZUser)
    .mutation(({ ctx, input }) => users.setUserStatus(ctx, input, 'deactivated')),
  activate: memberProcedure('members:update')
    .input(ZUserRefByIdOrEmail)
    .output(ZUser)
    .mutation(({ ctx, input }) => users.setUserStatus(ctx, input, 'active')),
  archive: memberProcedure('members:update')
    .input(ZUserRef)
    .output(ZUser)
    .mutation(({ ctx, input }) => users.setUserStatus(ctx, input, 'archived')),

  // The Strongly-shaped entry points for a user's own keys: the same service as auth.*Key.
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
