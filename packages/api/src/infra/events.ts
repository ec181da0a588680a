import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type EventData, type EventType, eventCatalogue } from '../core/events.js';

/** An event `work` emitted, written when it returns (transaction.ts). */
export interface PendingEvent {
  organizationId: string;
  type: EventType;
  data: Record<string, unknown>;
}

export function pendingEvent<T extends EventType>(organizationId: string, type: T, data: EventData<T>): PendingEvent {
  // Strict schemas: a field the catalogue does not declare is refused here, not sent to receivers.
  return { organizationId, type, data: eventCatalogue[type].parse(data) as Record<string, unknown> };
}

/** The graphile-worker task that delivers one webhook_deliveries row. */
export const DELIVERY_TASK = 'webhook_delivery';

/**
 * Writes `events` in the caller's transaction `tx`, numbered per organization, and, when `enqueue`,
 * one delivery row and one queue job per matching enabled endpoint, in the same transaction: a
 * rolled-back change leaves no event, no delivery and no job; a committed one loses none of them.
 *
 * Numbering: one `insert … on conflict do update … returning` per organization takes the next numbers
 * on the organization's counter row. Its row lock makes a concurrent writer of the same organization
 * wait until this transaction ends, then continue from the number this one left (or got back, if it
 * rolled back), so the numbers have no gaps and no duplicates. Taken last (after the work) and in
 * organization order, the lock is short and two writers cannot deadlock on counters.
 */
export async function writeEvents(tx: EntityManager, events: PendingEvent[], { enqueue }: { enqueue: boolean }) {
  // Rows the work created through the entity manager (a new organization) must exist for the keys.
  await tx.flush();
  const byOrganization = new Map<string, PendingEvent[]>();
  for (const event of events) {
    const list = byOrganization.get(event.organizationId) ?? [];
    list.push(event);
    byOrganization.set(event.organizationId, list);
  }
  const rows: { id: string; organization_id: string; sequence: number; type: string; data: string }[] = [];
  for (const organizationId of [...byOrganization.keys()].sort()) {
    const list = byOrganization.get(organizationId) as PendingEvent[];
    const [counter] = await tx.execute<{ last_sequence: string }[]>(
      `insert into organization_event_counters (organization_id, last_sequence) values (?, ?)
       on conflict (organization_id) do update set last_sequence = organization_event_counters.last_sequence + excluded.last_sequence
       returning last_sequence`,
      [organizationId, list.length],
    );
    const first = Number(counter?.last_sequence) - list.length + 1;
    for (const [i, event] of list.entries()) {
      rows.push({
        id: newId('ev'),
        organization_id: organizationId,
        sequence: first + i,
        type: event.type,
        data: JSON.stringify(event.data),
      });
    }
  }
  await tx.execute(
    `insert into events (id, organization_id, sequence, type, data, occurred_at)
     select id, organization_id, sequence, type, data::jsonb, now()
       from jsonb_to_recordset(?::jsonb) as e(id text, organization_id text, sequence bigint, type text, data text)`,
    [JSON.stringify(rows)],
  );
  if (!enqueue) return;
  const endpoints = await tx.execute<{ id: string; organization_id: string; events: string[] }[]>(
    `select id, organization_id, events from webhook_endpoints where organization_id in (select jsonb_array_elements_text(?::jsonb)) and enabled`,
    [JSON.stringify([...byOrganization.keys()])],
  );
  if (!endpoints.length) return;
  // A test (webhooks.test) goes to the endpoint it names, and to no other.
  const wants = (endpoint: (typeof endpoints)[number], event: (typeof rows)[number]) =>
    event.type === 'webhook.test'
      ? (JSON.parse(event.data) as { webhookId: string }).webhookId === endpoint.id
      : endpoint.events.includes(event.type);
  const deliveries = rows.flatMap((event) =>
    endpoints
      .filter((e) => e.organization_id === event.organization_id && wants(e, event))
      .map((endpoint) => ({
        id: newId('whd'),
        organization_id: event.organization_id,
        webhook_id: endpoint.id,
        event_id: event.id,
      })),
  );
  if (!deliveries.length) return;
  // One statement: the rows and their jobs. A job names its delivery row, where the attempts are kept.
  await tx.execute(
    `with d as (
       insert into webhook_deliveries (id, organization_id, webhook_id, event_id, status, attempts, created_at, updated_at)
       select id, organization_id, webhook_id, event_id, 'pending', 0, now(), now()
         from jsonb_to_recordset(?::jsonb) as d(id text, organization_id text, webhook_id text, event_id text)
       returning id)
     select graphile_worker.add_job(?, json_build_object('deliveryId', d.id), max_attempts := 25, job_key := d.id) from d`,
    [JSON.stringify(deliveries), DELIVERY_TASK],
  );
}
