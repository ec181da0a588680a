import { type IdPrefix, idPattern } from '@gatehouse/db/values';
import { z } from 'zod';
import { isKnownPermission, MAX_PERMISSIONS, type PermissionKey } from './permissions.js';

/** An id with the given prefix, e.g. zId('org') accepts `org_01j…`. */
export const zId = (prefix: IdPrefix) => z.string().regex(idPattern(prefix), `Must be a ${prefix}_… id`);

/** A LIKE pattern that matches `text` literally: \, % and _ are escaped. Use with `escape '\\'`. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * A permission a caller names (a role's, a key's scope, a query's): built-in or registered. Typed as
 * PermissionKey so a client's editor offers the built-in ones while a registered one still fits.
 */
export const ZPermission = z
  .string()
  .max(130)
  .refine(isKnownPermission, 'Not a built-in or registered permission (see permissions.catalogue)') as z.ZodType<
  PermissionKey,
  PermissionKey
>;

/** A list of permissions a caller names: no repeats, no more than the catalogue can hold. */
export const zPermissionList = (item: z.ZodType<PermissionKey, PermissionKey> = ZPermission) =>
  z
    .array(item)
    .max(MAX_PERMISSIONS)
    .refine((ps) => new Set(ps).size === ps.length, 'Permissions must not repeat');

/** The answer of a call that has nothing else to say. */
export const ZOk = z.object({ ok: z.literal(true) });
