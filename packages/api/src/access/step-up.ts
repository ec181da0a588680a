import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { hasFactorSql } from './sql.js';

/** How long a factor proven in a session counts for step-up. */
export const STEP_UP_MS = 10 * 60_000;

/**
 * What an account with a second factor does only with a factor proven in this session within the last
 * ten minutes (auth.verifyMfa, auth.mfa.stepUp): create an owner-level key, transfer ownership, remove
 * the factor. A session that lost it (or never had one) hears FORBIDDEN MFA_STEP_UP_REQUIRED; an
 * account without a factor, and a credential that is no session (a key), are not asked.
 */
export async function assertSteppedUp(caller: { em: EntityManager; principal: Principal }): Promise<void> {
  const { sessionId, userId } = caller.principal;
  if (!sessionId) return;
  const [row] = await caller.em.execute<{ has_factor: boolean; fresh: boolean }[]>(
    `select ${hasFactorSql('?')} as has_factor,
            coalesce((select s.mfa_verified_at > now() - ? * interval '1 millisecond' from sessions s where s.id = ?), false) as fresh`,
    [userId, userId, STEP_UP_MS, sessionId],
  );
  if (row?.has_factor && !row.fresh) {
    throw new AppError(
      'MFA_STEP_UP_REQUIRED',
      'This needs a second factor proven in the last 10 minutes: call auth.mfa.stepUp with a code first',
    );
  }
}
