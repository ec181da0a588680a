import { z } from 'zod';
import { MAX_REGISTERED_PERMISSIONS, REGISTERED_PERMISSION_PATTERN } from '../core/permissions.js';

/** A permission of the operator's own: lowercase `<resource>:<action>`; the service refuses built-in resources. */
export const ZRegisteredKey = z
  .string()
  .max(127)
  .regex(REGISTERED_PERMISSION_PATTERN, 'Must be lowercase <resource>:<action>, e.g. workflows:read');
/** The built-in roles below admin that hold it too (owner and admin hold every registered permission). */
const ZGrantedTo = z
  .array(z.enum(['member', 'viewer']))
  .max(2)
  .refine((r) => new Set(r).size === r.length, 'Roles must not repeat');
const ZDescription = z.string().trim().max(255);

export const ZRegisterPermissionInput = z.strictObject({
  key: ZRegisteredKey,
  description: ZDescription.optional(),
  grantedTo: ZGrantedTo.optional(),
});
export type TRegisterPermissionInput = z.infer<typeof ZRegisterPermissionInput>;

export const ZUpdatePermissionInput = z.strictObject({
  key: ZRegisteredKey,
  description: ZDescription.nullable().optional(),
  grantedTo: ZGrantedTo.optional(),
});
export type TUpdatePermissionInput = z.infer<typeof ZUpdatePermissionInput>;

export const ZDeletePermissionInput = z.strictObject({
  key: ZRegisteredKey,
  // Also takes it away from every role and key that holds it.
  force: z.boolean().optional(),
});
export type TDeletePermissionInput = z.infer<typeof ZDeletePermissionInput>;

/** The file GATEHOUSE_PERMISSIONS_FILE names: the registered permissions the deployment starts with. */
export const ZPermissionsFile = z.array(ZRegisterPermissionInput).max(MAX_REGISTERED_PERMISSIONS);

const builtInRoleNames = z.enum(['owner', 'admin', 'member', 'viewer']);

/** One permission of the catalogue, as anyone signed in reads it. */
export const ZCatalogueEntry = z.object({
  key: z.string(),
  builtIn: z.boolean(),
  description: z.string().nullable(),
  /** The built-in roles that hold it. */
  grantedTo: z.array(builtInRoleNames),
});
export const ZCatalogue = z.object({ permissions: z.array(ZCatalogueEntry) });
export type TCatalogue = z.infer<typeof ZCatalogue>;

/** A registered permission as the operator manages it: with who holds it explicitly. */
export const ZRegisteredPermission = ZCatalogueEntry.extend({
  builtIn: z.literal(false),
  /** Custom roles and unrevoked keys that name it: a delete without `force` is refused while any do. */
  heldBy: z.object({ roles: z.number().int(), keys: z.number().int() }),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TRegisteredPermission = z.infer<typeof ZRegisteredPermission>;
export const ZRegisteredPermissionList = z.object({ items: z.array(ZRegisteredPermission) });
