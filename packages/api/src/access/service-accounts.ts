import type { EntityManager } from '@mikro-orm/postgresql';
import { rolePermissions } from '../core/authorization.js';
import type { PermissionKey } from '../core/permissions.js';
import { joinRole } from './sql.js';

export interface ServiceAccountRank {
  id: string;
  name: string;
  role: string;
  permissions: PermissionKey[];
}

/** A service account of the organization with what its role grants there now, or null. */
export async function findServiceAccountRank(
  em: EntityManager,
  organizationId: string,
  serviceAccountId: string,
): Promise<ServiceAccountRank | null> {
  const [row] = await em.execute<{ id: string; name: string; role: string; permissions: string[] | null }[]>(
    `select sa.id, sa.name, sa.role, r.permissions
       from service_accounts sa
       ${joinRole('r', 'sa')}
      where sa.organization_id = ? and sa.id = ?`,
    [organizationId, serviceAccountId],
  );
  return row
    ? { id: row.id, name: row.name, role: row.role, permissions: rolePermissions(row.role, row.permissions) }
    : null;
}
