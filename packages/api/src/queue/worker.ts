import type { MikroORM } from '@mikro-orm/postgresql';
import { Logger, type Runner, run, type Task } from 'graphile-worker';
import { SecretBox } from '../core/crypto.js';
import { DELIVERY_TASK } from '../infra/events.js';
import { signWebhook } from './signature.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one delivery over HTTP. NOT BUILT HERE ON PURPOSE: every customer URL goes through the one
 * guarded fetcher (infra/guarded-fetch.ts, branch `domains`: the address checked at connect time, no
 * redirects, 64 KB, 10 s). The lead connects it in apps/server/src/main.ts (`queue.sender`); until then
 * the worker does not run, and deliveries wait in the queue.
 */
export type WebhookSender = (request: WebhookRequest) => Promise<{ status: number }>;

export interface QueueOptions {
  /** The PostgreSQL the queue lives in (the server's DATABASE_URL). */
  url: string;
  sender?: WebhookSender | undefined;
  /** Jobs this process runs at once. */
  concurrency?: number;
  pollMs?: number;
}

interface DeliveryRow {
  status: string;
  enabled: boolean;
  url: string;
  webhook_id: string;
  secret: string;
  /** Still signing after a rotation (null once expired). */
  previous_secret: string | null;
  event_id: string;
  organization_id: string;
  sequence: string;
  type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

/** Webhook secrets are stored sealed under this purpose's key, bound to their endpoint's id. */
export const webhookSecrets = (secret: string) => new SecretBox(secret, 'webhook-secrets');

/**
 * Delivers one webhook_deliveries row: signs the event (Standard Webhooks: `webhook-id` is the event's
 * id, the same on every attempt, so a receiver drops a repeat), sends it, records the outcome. A
 * non-2xx answer or an error throws, and graphile-worker retries the job later. At least once: a
 * process that dies after the receiver answered but before the job completes sends it again.
 */
export function deliveryTask(orm: MikroORM, secret: string, send: WebhookSender): Task {
  const box = webhookSecrets(secret);
  return async (payload, helpers) => {
    const { deliveryId } = payload as { deliveryId: string };
    const em = orm.em.fork();
    const [row] = await em.execute<DeliveryRow[]>(
      `select d.status, w.enabled, w.url, w.id as webhook_id, w.secret,
              case when w.previous_secret_expires_at > now() then w.previous_secret end as previous_secret,
              e.id as event_id, e.organization_id, e.sequence, e.type, e.occurred_at, e.data
         from webhook_deliveries d join webhook_endpoints w on w.id = d.webhook_id join events e on e.id = d.event_id
        where d.id = ?`,
      [deliveryId],
    );
    // Gone with its endpoint, already delivered, or the endpoint turned off meanwhile: nothing to send.
    if (row?.status !== 'pending' || !row.enabled) return;
    const body = JSON.stringify({
      id: row.event_id,
      type: row.type,
      organizationId: row.organization_id,
      sequence: Number(row.sequence),
      occurredAt: new Date(row.occurred_at).toISOString(),
      data: row.data,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signingSecret = box.open(row.secret, row.webhook_id)?.toString();
    // Sealed under another deployment secret, or tampered with: no retry can sign it.
    if (!signingSecret) throw new Error(`webhook ${row.webhook_id}: its secret does not open with this deployment's`);
    // During a rotation both secrets sign (space-separated, as Standard Webhooks allows): the new first.
    const previous = row.previous_secret ? box.open(row.previous_secret, row.webhook_id)?.toString() : undefined;
    const signature = [signingSecret, previous]
      .filter((s): s is string => s !== undefined)
      .map((s) => signWebhook(s, row.event_id, timestamp, body))
      .join(' ');
    const headers = {
      'content-type': 'application/json',
      'webhook-id': row.event_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = (await send({ url: row.url, headers, body })).status;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const last = helpers.job.attempts >= helpers.job.max_attempts;
    await em.execute(
      `update webhook_deliveries
          set attempts = attempts + 1, response_status = ?, latency_ms = ?, last_error = ?, updated_at = now(),
              status = ?, delivered_at = case when ? then now() end
        where id = ?`,
      [
        status,
        Math.round(performance.now() - started),
        ok ? null : (error ?? `HTTP ${status}`),
        ok ? 'succeeded' : last ? 'failed' : 'pending',
        ok,
        deliveryId,
      ],
    );
    if (!ok) throw new Error(`webhook delivery ${deliveryId} failed: ${error ?? `HTTP ${status}`}`);
  };
}

/**
 * Starts this process's graphile-worker runner. Any number of processes may run one: a job is taken
 * with FOR UPDATE SKIP LOCKED, so in the normal case exactly one process sends it; a process that dies
 * holding one leaves it locked until graphile-worker's lock timeout (4 hours) frees it for another.
 */
export async function startQueue(
  options: QueueOptions,
  orm: MikroORM,
  secret: string,
  log: (message: string, error?: unknown) => void,
): Promise<{ stop(): Promise<void> }> {
  const { sender } = options;
  if (!sender) {
    log('webhook deliveries are queued, but no sender is connected: none is sent until one is (queue/worker.ts)');
    return { stop: async () => {} };
  }
  const runner: Runner = await run({
    connectionString: options.url,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollMs ?? 2_000,
    noHandleSignals: true,
    taskList: { [DELIVERY_TASK]: deliveryTask(orm, secret, sender) },
    logger: new Logger(() => (level, message) => {
      if (level === 'error' || level === 'warning') log(`graphile-worker: ${message}`);
    }),
  });
  return { stop: () => runner.stop() };
}
