import { Session } from '@gatehouse/db';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { revokeSessions } from '../sessions/sessions.js';
import type { TListSessionsInput, TSessionInfo } from './sessions-schema.js';

/** A caller signed in with a session (sessionProcedure): the one whose sessions these are. */
type SessionCaller = Caller & { principal: { sessionId: string } };

const toInfo =
  (current: string) =>
  (s: Session): TSessionInfo => ({
    id: s.id,
    current: s.id === current,
    userAgent: s.userAgent ?? null,
    ip: s.ip ?? null,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt ?? s.createdAt,
    expiresAt: s.expiresAt,
  });

/** The caller's live sessions (not revoked, not expired), newest first. */
export async function listSessions(caller: SessionCaller, input: TListSessionsInput) {
  const { userId, sessionId } = caller.principal;
  const scope = `sessions:${userId}`;
  const rows = await caller.em.find(
    Session,
    {
      userId,
      revokedAt: null,
      expiresAt: { $gt: new Date() },
      ...(input.cursor ? { id: { $lt: caller.runtime.cursors.decode(scope, input.cursor) } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  return caller.runtime.cursors.page(scope, rows, input.limit, (r) => r.id, toInfo(sessionId));
}

/**
 * Ends one of the caller's sessions (the current one too: that is signing out). Another user's
 * session, or an unknown id, is NOT_FOUND; one already ended is ended. Every process forgets it at once.
 */
export async function revokeSession(caller: SessionCaller, sessionId: string): Promise<void> {
  const { userId } = caller.principal;
  await transaction(caller, async (tx, after) => {
    const session = await tx.findOne(Session, { id: sessionId, userId }, { fields: ['id', 'revokedAt'] });
    if (!session) throw new AppError('NOT_FOUND', 'Session not found');
    if (session.revokedAt) return;
    after.invalidate({ sessionId });
    await tx.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: new Date() });
    record(tx, actorOf(caller), {
      organizationId: caller.principal.organizationId,
      action: 'session.revoked',
      target: { type: 'session', id: sessionId },
    });
  });
}

/** Ends every session of the caller but this one ("sign out everywhere else"). */
export async function revokeOtherSessions(caller: SessionCaller): Promise<{ revoked: number }> {
  const { userId, sessionId } = caller.principal;
  return transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const revoked = await revokeSessions(tx, userId, sessionId);
    record(tx, actorOf(caller), {
      organizationId: caller.principal.organizationId,
      action: 'session.revoked_others',
      target: { type: 'user', id: userId },
      changes: { revoked: { from: null, to: revoked } },
    });
    return { revoked };
  });
}
