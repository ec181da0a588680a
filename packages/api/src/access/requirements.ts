import type { IdPrefix } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import type { Permission } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';

/**
 * A relation between the caller and the row an input field names, which grants on its own what a
 * permission would: the caller is that user (`self`), maintains that team (`maintainerOf`), or holds
 * that API key (`holderOf`). The procedure chain reads the field and asks here (trpc/requirements.ts).
 */
export interface Predicate {
  relation: 'self' | 'maintainerOf' | 'holderOf';
  field: string;
}

/**
 * What a procedure needs, declared on its first line: a permission, a predicate, or any one of several.
 * A builder given several requirements needs all of them.
 */
export type Requirement = Permission | Predicate | { anyOf: readonly (Permission | Predicate)[] };

export const self = (field: string): Predicate => ({ relation: 'self', field });
export const maintainerOf = (field: string): Predicate => ({ relation: 'maintainerOf', field });
export const holderOf = (field: string): Predicate => ({ relation: 'holderOf', field });
export const anyOf = (...alternatives: (Permission | Predicate)[]): Requirement => ({ anyOf: alternatives });

/** The id prefix of the row each relation names: an input field of another shape names nothing. */
export const PREFIX: Record<Predicate['relation'], IdPrefix> = { self: 'usr', maintainerOf: 'team', holderOf: 'key' };

/** How a refusal names the predicate: "Requires teams:write or being the team's maintainer". */
export const DESCRIPTION: Record<Predicate['relation'], string> = {
  self: 'acting on yourself',
  maintainerOf: "being the team's maintainer",
  holderOf: 'holding the key',
};

/**
 * Whether the predicate holds for the principal acting in `organizationId` on the row `id` names.
 * A maintainer manages the team's membership, which is teams:write's business: only a user, through a
 * credential not scoped away from teams:write. A key is reachable from the caller's organization or,
 * bound to none (a platform key), by its holder alone; one out of reach is NOT_FOUND, as the procedure
 * itself would answer, so the chain reveals nothing a permission holder would not hear.
 */
export async function relationHolds(
  em: EntityManager,
  principal: Principal,
  organizationId: string | null,
  relation: Predicate['relation'],
  id: string,
): Promise<boolean> {
  switch (relation) {
    case 'self':
      return principal.kind === 'user' && id === principal.userId;
    case 'maintainerOf': {
      const scopes = principal.apiKey?.scopes;
      if (principal.kind !== 'user' || !organizationId || (scopes && !scopes.includes('teams:write'))) return false;
      const [row] = await em.execute<{ role: string }[]>(
        'select role from team_members where organization_id = ? and team_id = ? and user_id = ?',
        [organizationId, id, principal.userId],
      );
      return row?.role === 'maintainer';
    }
    case 'holderOf': {
      const [key] = await em.execute<{ user_id: string }[]>(
        `select user_id from api_keys
          where id = ? and (organization_id = ? or (organization_id is null and user_id = ?))`,
        [id, organizationId, principal.userId],
      );
      if (!key) throw new AppError('NOT_FOUND', 'API key not found');
      return key.user_id === principal.userId;
    }
  }
}
