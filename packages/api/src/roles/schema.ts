import { z } from 'zod';
import { isPlatformOnly, type RoleKey } from '../core/permissions.js';
import { ZPermission, zId, zPermissionList } from '../core/schema.js';

// Typed as RoleKey (not string) so a client's editor offers owner, admin, member, viewer.
export const ZRoleKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'Must be a lowercase slug (a-z, 0-9, -)') as z.ZodType<RoleKey, RoleKey>;
/** A role to give someone. The seed SDKs call the plain member role `user`: accepted as `member`. */
export const ZMemberRole = ZRoleKey.transform((role) => (role === 'user' ? 'member' : role));

// roles.name and roles.description are varchar(255).
const ZName = z.string().trim().min(1).max(100);
const ZDescription = z.string().trim().max(255).nullable();

const ZRolePermissions = zPermissionList(
  ZPermission.refine(
    (p) => !isPlatformOnly(p),
    'credits:grant and credits:refund belong to platform admins, never to a role',
  ),
).min(1, 'A role needs at least one permission');

const ZOrgInput = z.strictObject({ organizationId: zId('org') });

// `project`: the project roles (project_admin, project_editor, project_viewer), held on projects only.
export const ZListRolesInput = ZOrgInput.extend({ scope: z.enum(['organization', 'project']).optional() }).strict();

export const ZCreateRoleInput = ZOrgInput.extend({
  key: ZRoleKey,
  name: ZName,
  description: ZDescription.optional(),
  permissions: ZRolePermissions,
}).strict();
export type TCreateRoleInput = z.infer<typeof ZCreateRoleInput>;

export const ZUpdateRoleInput = ZOrgInput.extend({
  roleId: zId('role'),
  name: ZName.optional(),
  description: ZDescription.optional(),
  permissions: ZRolePermissions.optional(),
}).strict();
export type TUpdateRoleInput = z.infer<typeof ZUpdateRoleInput>;

export const ZDeleteRoleInput = ZOrgInput.extend({
  roleId: zId('role'),
  // Where the role's members go: a built-in role other than owner, or another custom role's key.
  reassignTo: ZRoleKey.optional(),
}).strict();
export type TDeleteRoleInput = z.infer<typeof ZDeleteRoleInput>;

export const ZRole = z.object({
  // null for the built-in roles, which are not rows.
  id: z.string().nullable(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
  scope: z.enum(['organization', 'project']),
  memberCount: z.number().int(),
});
export type TRole = z.infer<typeof ZRole>;
export const ZRoleList = z.array(ZRole);
/** What create and update return: always a custom role, so always with an id. */
export const ZCustomRole = ZRole.extend({ id: z.string(), builtIn: z.literal(false) });
export type TCustomRole = z.infer<typeof ZCustomRole>;

export const ZDeletedRole = z.object({
  id: z.string(),
  deleted: z.literal(true),
  /** The key the role's members now hold, if any were moved. */
  reassignedTo: z.string().nullable(),
  reassignedMembers: z.number().int(),
});
export type TDeletedRole = z.infer<typeof ZDeletedRole>;
