import { orgProcedure, router } from '../trpc/procedures.js';
import {
  ZCreateRoleInput,
  ZCustomRole,
  ZDeletedRole,
  ZDeleteRoleInput,
  ZListRolesInput,
  ZRoleList,
  ZUpdateRoleInput,
} from './schema.js';
import * as roles from './service.js';

/** organizations.listRoles (root.ts mounts it there): with `scope`, the roles of that kind only. */
export const listRolesProcedure = orgProcedure('roles:read')
  .input(ZListRolesInput)
  .output(ZRoleList)
  .query(({ ctx, input }) => roles.listRoles(ctx, input.organizationId, input.scope));

export const rolesRouter = router({
  list: orgProcedure('roles:read')
    .input(ZListRolesInput)
    .output(ZRoleList)
    .query(({ ctx, input }) => roles.listRoles(ctx, input.organizationId)),
  create: orgProcedure('roles:write')
    .input(ZCreateRoleInput)
    .output(ZCustomRole)
    .mutation(({ ctx, input }) => roles.createRole(ctx, input)),
  update: orgProcedure('roles:write')
    .input(ZUpdateRoleInput)
    .output(ZCustomRole)
    .mutation(({ ctx, input }) => roles.updateRole(ctx, input)),
  delete: orgProcedure('roles:write')
    .input(ZDeleteRoleInput)
    .output(ZDeletedRole)
    .mutation(({ ctx, input }) => roles.deleteRole(ctx, input)),
});
