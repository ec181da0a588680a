import type { TEvent } from '../core/events.js';
import type { Caller } from '../infra/caller.js';
import type { TEventPage, TListEventsInput } from './schema.js';

interface EventRow {
  id: string;
  organization_id: string;
  sequence: string;
  type: TEvent['type'];
  data: TEvent['data'];
  occurred_at: Date;
}

/**
 * The organization's events after a sequence, oldest first: a receiver that noticed a gap (or was
 * down) reads from the last sequence it processed. Keyset on the (organization_id, sequence) unique
 * index. Events are written by infra/events.ts in the transaction of their change, never here.
 */
export async function listEvents(caller: Caller, input: TListEventsInput): Promise<TEventPage> {
  const { organizationId, types, limit } = input;
  const after = input.after ?? 0;
  const rows = await caller.em.execute<EventRow[]>(
    `select id, organization_id, sequence, type, data, occurred_at from events
      where organization_id = ? and sequence > ? ${types ? 'and type in (select jsonb_array_elements_text(?::jsonb))' : ''}
      order by sequence limit ?`,
    [organizationId, after, ...(types ? [JSON.stringify(types)] : []), limit + 1],
  );
  const items = rows.slice(0, limit).map(
    (row) =>
      ({
        id: row.id,
        type: row.type,
        organizationId: row.organization_id,
        sequence: Number(row.sequence),
        occurredAt: new Date(row.occurred_at),
        data: row.data,
      }) as TEvent,
  );
  return { items, nextAfter: items.at(-1)?.sequence ?? after, hasMore: rows.length > limit };
}
