import type { EntityManager } from '@mikro-orm/postgresql';
import { DESCRIPTION, PREFIX, type Predicate, type Requirement, relationHolds } from '../access/requirements.js';
import { can } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Permission } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import { zId } from '../core/schema.js';

const isPredicate = (r: Permission | Predicate): r is Predicate => typeof r !== 'string';

const describe = (r: Permission | Predicate) => (isPredicate(r) ? DESCRIPTION[r.relation] : r);

/**
 * Whether one alternative holds: a permission by the decision (core/authorization.ts), in the
 * organization (and on the project) the procedure acts in; a predicate by asking access/ about the
 * row its input field names. A field that names nothing of the right shape grants nothing.
 */
async function holds(
  ctx: { em: EntityManager; principal: Principal },
  where: { organizationId: string | null; projectId?: string | null },
  alternative: Permission | Predicate,
  input: unknown,
): Promise<boolean> {
  const { organizationId, projectId = null } = where;
  if (!isPredicate(alternative)) {
    return organizationId !== null && can(ctx.principal, alternative, organizationId, projectId);
  }
  const raw = (input as Record<string, unknown> | null | undefined)?.[alternative.field];
  const id = zId(PREFIX[alternative.relation]).safeParse(raw);
  return id.success && relationHolds(ctx.em, ctx.principal, organizationId, alternative.relation, id.data);
}

/**
 * The procedure chain's one gate beyond the organization: every requirement must hold (an `anyOf`
 * when one of its alternatives does, tried in order, so a permission spares the predicate's query).
 * FORBIDDEN naming the first that does not. Services decide no permission; they keep only the
 * invariants checked under lock (assertHolds, assertOutranks, the last owner).
 */
export async function assertMeets(
  ctx: { em: EntityManager; principal: Principal },
  where: { organizationId: string | null; projectId?: string | null },
  requirements: readonly Requirement[],
  input: unknown,
): Promise<void> {
  for (const requirement of requirements) {
    const alternatives = typeof requirement === 'object' && 'anyOf' in requirement ? requirement.anyOf : [requirement];
    let met = false;
    for (const alternative of alternatives) {
      if (await holds(ctx, where, alternative, input)) {
        met = true;
        break;
      }
    }
    if (!met) throw new AppError('FORBIDDEN', `Requires ${alternatives.map(describe).join(' or ')}`);
  }
}
