import type { EntityManager } from '@mikro-orm/postgresql';
import { rolePermissions } from '../core/authorization.js';
import { isBuiltInRole, type PermissionKey } from '../core/permissions.js';

export interface ResolvedRole {
  key: string;
  permissions: PermissionKey[];
}

/** A role of the organization by key: built-in, or custom from the roles table; null if none. */
export async function resolveRole(
  em: EntityManager,
  organizationId: string,
  key: string,
): Promise<ResolvedRole | null> {
  if (isBuiltInRole(key)) return { key, permissions: rolePermissions(key) };
  const [row] = await em.execute<{ permissions: string[] }[]>(
    'select permissions from roles where organization_id = ? and key = ?',
    [organizationId, key],
  );
  return row ? { key, permissions: rolePermissions(key, row.permissions) } : null;
}
