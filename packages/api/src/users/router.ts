import { anyOf, holderOf } from '../access/requirements.js';
import { ZApiKey, ZApiKeyPage, ZCreateKeyInput, ZKeyIdInput, ZNewKey } from '../api-keys/schema.js';
import * as keys from '../api-keys/service.js';
import { ZPageInput } from '../core/pagination.js';
import { ZOk } from '../core/schema.js';
import {
  authedProcedure,
  memberProcedure,
  mfaExemptAuthedProcedure,
  ownProcedure,
  router,
} from '../trpc/procedures.js';
import { preRegister, ZPreRegisterInput, ZPreRegisterOutput } from './pre-register.js';
import {
  ZCreatedUser,
  ZCreateUserInput,
  ZListUsersInput,
  ZUpdateMeInput,
  ZUpdateUserInput,
  ZUser,
  ZUserPage,
  ZUserPermissions,
  ZUserRef,
  ZUserRefByIdOrEmail,
  ZUserResources,
  ZUserTeams,
} from './schema.js';
import * as users from './service.js';

export const usersRouter = router({
  me: mfaExemptAuthedProcedure.output(ZUser).query(({ ctx }) => users.me(ctx)),
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
  preRegister: memberProcedure('members:invite')
    .input(ZPreRegisterInput)
    .output(ZPreRegisterOutput)
    .mutation(({ ctx, input }) => preRegister(ctx, input)),
  create: memberProcedure('members:invite')
    .input(ZCreateUserInput)
    .output(ZCreatedUser)
    .mutation(({ ctx, input }) => users.createUser(ctx, input)),
  update: memberProcedure('members:update')
    .input(ZUpdateUserInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => users.updateUser(ctx, input)),
  delete: memberProcedure('members:remove')
    .input(ZUserRef)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await users.deleteUser(ctx, input.userId);
      return { ok: true as const };
    }),
  resetPassword: memberProcedure('members:update')
    .input(ZUserRef)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await users.resetUserPassword(ctx, input.userId);
      return { ok: true as const };
    }),
  // Another member's second factor, for an account the organization manages (users/service.ts).
  resetMfa: memberProcedure('members:update')
    .input(ZUserRef)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await users.resetUserMfa(ctx, input.userId);
      return { ok: true as const };
    }),
  getPermissions: memberProcedure('members:read')
    .input(ZUserRef)
    .output(ZUserPermissions)
    .query(({ ctx, input }) => users.userPermissions(ctx, input.userId)),
  getTeams: memberProcedure('members:read')
    .input(ZUserRef)
    .output(ZUserTeams)
    .query(({ ctx, input }) => users.userTeams(ctx, input.userId)),
  getResources: memberProcedure('members:read')
    .input(ZUserRef)
    .output(ZUserResources)
    .query(({ ctx, input }) => users.userResources(ctx, input.userId)),

  // The Strongly-shaped entry points for a user's own keys: the same service as auth.*Key.
  apiKeys: authedProcedure
    .input(ZPageInput.strict().optional())
    .output(ZApiKeyPage)
    .query(({ ctx, input }) => keys.listKeys(ctx, { limit: input?.limit ?? 50, cursor: input?.cursor })),
  createApiKey: authedProcedure
    .input(ZCreateKeyInput.pick({ name: true, scopes: true }))
    .output(ZNewKey)
    .mutation(({ ctx, input }) => keys.createKey(ctx, input)),
  revokeApiKey: ownProcedure(anyOf('apiKeys:write', holderOf('keyId')))
    .input(ZKeyIdInput)
    .output(ZApiKey)
    .mutation(({ ctx, input }) => keys.revokeKey(ctx, input.keyId)),
});
