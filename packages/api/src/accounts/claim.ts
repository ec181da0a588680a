import { ApiKey, User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { removeFactors } from '../mfa/factors.js';
import { revokeSessions } from '../sessions/sessions.js';

/**
 * Someone proved control of the account's address with a token from a mail (verification, reset,
 * invitation): the address is verified. If it was not before, whoever made the account may not have
 * owned the address, so every session (but `keepSessionId`, the prover's own) and every key made
 * before is revoked. That is all an unverified holder can have built: it cannot create an organization
 * (organizations/service.ts) and joins one only with a mailed token, so the one organization it can be
 * in is the one that manages it. A second factor it set up goes too, unless the prover is that same
 * signed-in holder (`keepSessionId`): else it would lock the address's owner out of their own account.
 * Invalidate the user with it (infra/transaction.ts).
 */
export async function claimAccount(
  tx: EntityManager,
  user: { id: string; emailVerified: boolean },
  keepSessionId?: string,
): Promise<void> {
  if (user.emailVerified) return;
  await tx.nativeUpdate(User, { id: user.id }, { emailVerified: true });
  await revokeSessions(tx, user.id, keepSessionId);
  await tx.nativeUpdate(ApiKey, { userId: user.id, revokedAt: null }, { revokedAt: new Date(), revokedBy: user.id });
  if (!keepSessionId) await removeFactors(tx, user.id);
}
