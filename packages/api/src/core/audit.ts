import { type AuditChanges, AuditEvent, newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface Actor {
  type: 'user' | 'apiKey' | 'serviceAccount' | 'system';
  id: string | null;
  ip?: string | null;
  requestId?: string | null;
  /** A platform admin acting with platform authority. */
  platform?: boolean;
}

export const systemActor: Actor = { type: 'system', id: null };

/**
 * Queues an audit event on `em`; it is written by the same flush (and so the same transaction) as
 * the change it describes, so there is never a change without its trail or a trail without its change.
 */
export function record(
  em: EntityManager,
  actor: Actor,
  event: {
    organizationId: string | null;
    action: string;
    target?: { type: string; id: string };
    changes?: AuditChanges;
  },
): void {
  em.create(AuditEvent, {
    id: newId('evt'),
    organizationId: event.organizationId,
    actorType: actor.type,
    actorId: actor.id,
    actorPlatform: actor.platform ?? false,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    changes: event.changes ?? null,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
  });
}

/** Audit values compare by content: lists, settings and dates as they are stored (JSON). */
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * What `next` changes in `current`, field by field (undefined: left as it is; the same content: no
 * change), as an audit event's `changes`. The one way an update's diff is written.
 */
export function changesOf<T extends Record<string, unknown>>(
  current: T,
  next: { [K in keyof T]?: T[K] | undefined },
): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, to] of Object.entries(next)) {
    if (to !== undefined && !same(to, current[field])) changes[field] = { from: current[field], to };
  }
  return changes;
}
