import { AuditEvent } from '@gatehouse/db';
import type { Page } from '../core/pagination.js';
import type { Caller } from '../infra/caller.js';
import type { TAuditEvent, TListAuditEventsInput } from './schema.js';

function toAuditEvent(row: AuditEvent, organizationId: string): TAuditEvent {
  return {
    id: row.id,
    organizationId,
    actor: { type: row.actorType, id: row.actorId ?? null, platform: row.actorPlatform },
    action: row.action,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    // JSON drops an undefined side of a change; the wire shape always has both.
    changes: row.changes
      ? Object.fromEntries(
          Object.entries(row.changes).map(([field, c]) => [field, { from: c.from ?? null, to: c.to ?? null }]),
        )
      : null,
    ip: row.ip ?? null,
    requestId: row.requestId ?? null,
    createdAt: row.createdAt,
  };
}

/**
 * The organization's audit trail, newest first. Read-only: looking at the trail leaves none, and
 * nothing anywhere edits or deletes an event. Keyset on (organization_id, id): ids sort by time.
 */
export async function listEvents(caller: Caller, input: TListAuditEventsInput): Promise<Page<TAuditEvent>> {
  const { organizationId, actorId, action, targetId, since, until } = input;
  const { cursors } = caller.runtime;
  // Bound to the organization and every filter: a cursor carried over to another query is refused.
  const scope = `audit:${JSON.stringify([organizationId, actorId, action, targetId, since?.toISOString(), until?.toISOString()])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.find(
    AuditEvent,
    {
      organizationId,
      ...(actorId ? { actorId } : {}),
      ...(action ? { action } : {}),
      ...(targetId ? { targetId } : {}),
      ...(since || until ? { createdAt: { ...(since ? { $gte: since } : {}), ...(until ? { $lt: until } : {}) } } : {}),
      ...(after ? { id: { $lt: after } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  return cursors.page(
    scope,
    rows,
    input.limit,
    (r) => r.id,
    (r) => toAuditEvent(r, organizationId),
  );
}
