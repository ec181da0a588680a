import { z } from 'zod';
import { ZCreatePlatformKeyInput, ZNewKey } from '../api-keys/schema.js';
import { ZOk } from '../core/schema.js';
import * as catalogue from '../permissions/catalogue.js';
import {
  ZDeletePermissionInput,
  ZRegisteredPermission,
  ZRegisteredPermissionList,
  ZRegisterPermissionInput,
  ZUpdatePermissionInput,
} from '../permissions/schema.js';
import { platformProcedure, router } from '../trpc/procedures.js';
import {
  ZPlatformListInput,
  ZPlatformOrganization,
  ZPlatformOrganizationPage,
  ZPlatformOrgInput,
  ZPlatformUpdateOrganizationInput,
  ZPlatformUser,
  ZPlatformUserPage,
  ZPlatformUserRef,
  ZSuspendInput,
} from './schema.js';
import * as platform from './service.js';

// The operator's router: platform admins only (a session, or a platform key scoped to the permission).
export const platformRouter = router({
  // Any platform admin credential; the scopes asked for are checked against it.
  createKey: platformProcedure(null)
    .input(ZCreatePlatformKeyInput)
    .output(ZNewKey)
    .mutation(({ ctx, input }) => platform.createPlatformKey(ctx, input)),
  organizations: router({
    list: platformProcedure('platform:organizations:read')
      .input(ZPlatformListInput)
      .output(ZPlatformOrganizationPage)
      .query(({ ctx, input }) => platform.listOrganizations(ctx, input)),
    update: platformProcedure('platform:organizations:write')
      .input(ZPlatformUpdateOrganizationInput)
      .output(ZPlatformOrganization)
      .mutation(({ ctx, input }) => platform.updateOrganization(ctx, input)),
    suspend: platformProcedure('platform:organizations:write')
      .input(ZSuspendInput)
      .output(ZPlatformOrganization)
      .mutation(({ ctx, input }) => platform.suspendOrganization(ctx, input)),
    unsuspend: platformProcedure('platform:organizations:write')
      .input(ZPlatformOrgInput)
      .output(ZPlatformOrganization)
      .mutation(({ ctx, input }) => platform.unsuspendOrganization(ctx, input)),
  }),
  users: router({
    list: platformProcedure('platform:users:read')
      .input(ZPlatformListInput)
      .output(ZPlatformUserPage)
      .query(({ ctx, input }) => platform.listUsers(ctx, input)),
    retrieve: platformProcedure('platform:users:read')
      .input(ZPlatformUserRef)
      .output(ZPlatformUser)
      .query(({ ctx, input }) => platform.retrieveUser(ctx, input.userId)),
    deactivate: platformProcedure('platform:users:write')
      .input(ZPlatformUserRef)
      .output(ZPlatformUser)
      .mutation(({ ctx, input }) => platform.setUserStatus(ctx, input.userId, 'deactivated')),
    activate: platformProcedure('platform:users:write')
      .input(ZPlatformUserRef)
      .output(ZPlatformUser)
      .mutation(({ ctx, input }) => platform.setUserStatus(ctx, input.userId, 'active')),
  }),
  // Permissions of the integrator's own (`workflows:read`), for roles, key scopes and keys.verify.
  permissions: router({
    create: platformProcedure('platform:permissions:write')
      .input(ZRegisterPermissionInput)
      .output(ZRegisteredPermission)
      .mutation(({ ctx, input }) => catalogue.registerPermission(ctx, input)),
    list: platformProcedure('platform:permissions:read')
      .input(z.strictObject({}).optional())
      .output(ZRegisteredPermissionList)
      .query(({ ctx }) => catalogue.listRegistered(ctx)),
    update: platformProcedure('platform:permissions:write')
      .input(ZUpdatePermissionInput)
      .output(ZRegisteredPermission)
      .mutation(({ ctx, input }) => catalogue.updatePermission(ctx, input)),
    delete: platformProcedure('platform:permissions:write')
      .input(ZDeletePermissionInput)
      .output(ZOk)
      .mutation(({ ctx, input }) => catalogue.deletePermission(ctx, input)),
  }),
  // A new key signs from now on; the old one stays in the JWKS until its tokens have expired.
  rotateSigningKey: platformProcedure('platform:signingKeys:write')
    .input(z.strictObject({}).optional())
    .output(z.object({ kid: z.string() }))
    .mutation(({ ctx }) => platform.rotateSigningKey(ctx)),
});
