import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Logger, type Runner, run, runOnce, type Task } from 'graphile-worker';
import pg from 'pg';
import { record, systemActor } from '../core/audit.js';
import { SecretBox } from '../core/crypto.js';
import { DELIVERY_TASK } from '../infra/events.js';
import { MAIL_TASK, mailSecrets, PRUNE_TASK, pendingMail, writeMail } from '../infra/mail.js';
import { systemTransaction } from '../infra/transaction.js';
import { signWebhook, webhookSigningKey } from './signature.js';
import { webhookDisabledEmail } from './templates.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one delivery over HTTP: the composition root (runtime.ts) makes it with the one guarded fetcher
 * (infra/guarded-fetch.ts: the address checked at connect time, no redirects, 64 KB, 10 s); tests may
 * give their own. Without one, no runner starts and deliveries wait in the queue.
 */
export type WebhookSender = (request: WebhookRequest) => Promise<{ status: number }>;

export interface QueueOptions {
  /** The PostgreSQL the queue lives in (default: the ORM's, the server's DATABASE_URL or the embedded one). */
  url?: string;
  sender?: WebhookSender | undefined;
  /**
   * Whether this process runs jobs as they come (default true). Without a runner, jobs wait in the queue
   * until `drain()`: tests that read what was queued before anything is sent.
   */
  run?: boolean;
  /** Jobs this process runs at once (default 8: on 2 cores 4 drained 358/s, 8 ~500/s, 16 and 32 less). */
  concurrency?: number;
  pollMs?: number;
  /**
   * Jobs this process fetches (and locks) in one query and hands to its workers (graphile-worker's
   * localQueue; 1 or less: each worker fetches its own). Jobs in it are locked like running ones: a
   * process that dies holding them leaves them to the lock timeout (`lockTimeoutMs`), as it does its
   * running jobs (still at least once; a stopping process hands them back). A fetched job waits in it a
   * minute at most (its ttl), then goes back to the database. Default 32.
   */
  fetchBatch?: number;
  /** Wait this long (ms) to complete finished jobs in one query (graphile-worker's completeJobBatchDelay; -1: one by one; default 10). */
  completeBatchMs?: number;
  /**
   * How long one attempt may take, connection to last byte (default 10 s, the guarded fetcher's). Tests
   * shorten it to see a receiver that hangs recorded as a timeout.
   */
  deliveryTimeoutMs?: number;
  /**
   * How long a job may stay locked before any runner frees it for another: the worker that locked it is
   * taken for dead (default 10 minutes; graphile-worker's own, fixed in its SQL, is 4 hours). Longer than
   * a live worker holds one: a minute at most in the local queue (its ttl), then one attempt, 10 s at most
   * for a webhook, about a minute for a stalled SMTP server (mail/transport.ts). A job that really did run
   * longer may be run twice at once: at least once, as after a crash.
   */
  lockTimeoutMs?: number;
  /** How often this runner frees jobs locked longer than `lockTimeoutMs` (default every minute). Tests shorten it. */
  resetLockedMs?: number;
}

/**
 * Svix's schedule: the first attempt at once, then retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after the
 * attempt before, and every 10 h after that, for 3 days from the event; then the delivery fails and
 * the endpoint is disabled, with a mail to the organization's owners and admins.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000] as const;
export const GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;

/** How long to wait after failed attempt number `attempts` (1-based). */
export const retryDelay = (attempts: number) =>
  RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] as number;

interface DeliveryRow {
  status: string;
  created_at: Date;
  attempts: number;
  enabled: boolean;
  url: string;
  signing: 'hmac' | 'ed25519';
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
 * non-2xx answer or an error schedules the next attempt (RETRY_DELAYS_MS) as a new job, or gives up
 * after 3 days. At least once: a process that dies after the receiver answered but before the outcome
 * is written leaves the job locked; graphile-worker hands it to another after its lock timeout, and it
 * is sent again. (An error of our own, the database away, throws: graphile-worker retries that job.)
 */
export function deliveryTask(orm: MikroORM, secret: string, send: WebhookSender): Task {
  const box = webhookSecrets(secret);
  const ed25519 = webhookSigningKey(secret);
  // The jobs this process starts together read their rows in one query, and record their successes in one.
  const load = batched(async (ids: string[]) => {
    const rows = await orm.em.fork().execute<(DeliveryRow & { id: string })[]>(
      `select d.id, d.status, d.created_at, d.attempts, w.enabled, w.url, w.signing, w.id as webhook_id, w.secret,
              case when w.previous_secret_expires_at > now() then w.previous_secret end as previous_secret,
              e.id as event_id, e.organization_id, e.sequence, e.type, e.occurred_at, e.data
         from webhook_deliveries d join webhook_endpoints w on w.id = d.webhook_id join events e on e.id = d.event_id
        where d.id = any(?::text[])`,
      [pgArray(ids)],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  });
  const recordSuccess = batched(async (batch: Success[]) => {
    await orm.em.fork().execute(
      `update webhook_deliveries d
          set attempts = s.attempts, response_status = s.status, latency_ms = s.latency_ms, last_error = null,
              status = 'succeeded', delivered_at = now(), updated_at = now()
         from unnest(?::text[], ?::int[], ?::int[], ?::int[]) as s(id, attempts, status, latency_ms)
        where d.id = s.id`,
      [
        pgArray(batch.map((b) => b.id)),
        pgArray(batch.map((b) => b.attempts)),
        pgArray(batch.map((b) => b.status)),
        pgArray(batch.map((b) => b.latencyMs)),
      ],
    );
    return batch.map(() => undefined);
  });
  return async (payload) => {
    const { deliveryId } = payload as { deliveryId: unknown };
    // Only ours queue these; a malformed one fails alone here, not the batch it would have joined.
    if (typeof deliveryId !== 'string' || !/^whd_[a-z0-9]+$/.test(deliveryId)) {
      throw new Error(`not a delivery job: ${JSON.stringify(payload)}`);
    }
    const row = await load(deliveryId);
    // Gone with its endpoint, or already delivered: nothing to send.
    if (row?.status !== 'pending') return;
    if (!row.enabled) {
      // Turned off meanwhile (by an admin, or after 3 days of failures): redeliver once it is back on.
      await orm.em.fork().execute(
        `update webhook_deliveries set status = 'failed', last_error = 'endpoint disabled', updated_at = now()
          where id = ? and status = 'pending'`,
        [deliveryId],
      );
      return;
    }
    const body = JSON.stringify({
      id: row.event_id,
      type: row.type,
      organizationId: row.organization_id,
      sequence: Number(row.sequence),
      occurredAt: new Date(row.occurred_at).toISOString(),
      data: row.data,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    let signature: string;
    if (row.signing === 'ed25519') {
      // The endpoint asked for Ed25519: one `v1a,` signature by the deployment's key (public on the JWKS).
      signature = ed25519.sign(row.event_id, timestamp, body);
    } else {
      const signingSecret = box.open(row.secret, row.webhook_id)?.toString();
      // Sealed under another deployment secret, or tampered with: no retry can sign it.
      if (!signingSecret) {
        throw new Error(`webhook ${row.webhook_id}: its secret does not open with this deployment's`);
      }
      // During a rotation both secrets sign (space-separated, as Standard Webhooks allows): the new first.
      const previous = row.previous_secret ? box.open(row.previous_secret, row.webhook_id)?.toString() : undefined;
      signature = [signingSecret, previous]
        .filter((s): s is string => s !== undefined)
        .map((s) => signWebhook(s, row.event_id, timestamp, body))
        .join(' ');
    }
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
    const attempts = row.attempts + 1;
    const outcome = {
      attempts,
      status,
      latencyMs: Math.round(performance.now() - started),
      error: ok ? null : (error ?? `HTTP ${status}`),
    };
    if (ok) {
      // Its own row, written in one statement with the other successes of this moment; the job completes
      // only once that statement has committed.
      await recordSuccess({ id: deliveryId, attempts, status: status as number, latencyMs: outcome.latencyMs });
      return;
    }
    const retryAt = Date.now() + retryDelay(attempts);
    const giveUp = retryAt > new Date(row.created_at).getTime() + GIVE_UP_AFTER_MS;
    // The outcome and what follows it (the next attempt's job, or giving up) commit together.
    await systemTransaction(orm, async (tx) => {
      await tx.execute(
        `update webhook_deliveries
            set attempts = ?, response_status = ?, latency_ms = ?, last_error = ?, status = ?, updated_at = now()
          where id = ?`,
        [attempts, status, outcome.latencyMs, outcome.error, giveUp ? 'failed' : 'pending', deliveryId],
      );
      if (!giveUp) {
        // This job completes; the next attempt is a new job under the same key.
        await tx.execute(
          `select graphile_worker.add_job(?, json_build_object('deliveryId', ?::text), run_at := ?, max_attempts := 25, job_key := ?)`,
          [DELIVERY_TASK, deliveryId, new Date(retryAt), deliveryId],
        );
        return;
      }
      await disableEndpoint(tx, secret, row);
    });
  };
}

interface Success {
  id: string;
  attempts: number;
  status: number;
  latencyMs: number;
}

/**
 * A PostgreSQL array literal of ids or numbers (characters that need no quoting), for `= any(?::text[])`
 * and `unnest(?::int[])`: the planner then looks the rows up by primary key. (A json parameter turned
 * into rows is a function the planner cannot see into: it scanned the whole table, 3.5 ms a batch.)
 */
function pgArray(values: (string | number)[]): string {
  const bad = values.find((v) => !/^[A-Za-z0-9_]+$/.test(String(v)));
  if (bad !== undefined) throw new Error(`not an id or a whole number: ${JSON.stringify(bad)}`);
  return `{${values.join(',')}}`;
}

/**
 * Calls that arrive while a batch is under way (or in the same tick) go together into the next one:
 * `run` gets their inputs and answers each in order. Each caller's promise settles with its answer
 * once the batch holding it is done (or rejects with the batch's error; graphile-worker then retries
 * the job: at least once). A success is recorded only once its statement has committed.
 */
function batched<I, O>(run: (inputs: I[]) => Promise<O[]>): (input: I) => Promise<O> {
  let waiting: { input: I; resolve: (output: O) => void; reject: (error: unknown) => void }[] = [];
  let running = false;
  const flush = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const outputs = await run(batch.map((b) => b.input));
        for (const [i, b] of batch.entries()) b.resolve(outputs[i] as O);
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    running = false;
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!running) {
        running = true;
        setImmediate(() => void flush());
      }
    });
}

/**
 * Turns the endpoint off after 3 days of failed attempts and mails the organization's owners and
 * admins (queued in `tx`, infra/mail.ts), once: the first delivery to give up does it.
 */
async function disableEndpoint(tx: EntityManager, secret: string, row: DeliveryRow): Promise<void> {
  const [disabled] = await tx.execute<{ url: string; name: string }[]>(
    `update webhook_endpoints w set enabled = false, updated_at = now() from organizations o
      where w.id = ? and w.enabled and o.id = w.organization_id returning w.url, o.name`,
    [row.webhook_id],
  );
  if (!disabled) return;
  record(tx, systemActor, {
    organizationId: row.organization_id,
    action: 'webhook.disabled',
    target: { type: 'webhook', id: row.webhook_id },
    changes: { enabled: { from: true, to: false } },
  });
  const admins = await tx.execute<{ email: string }[]>(
    `select u.email from memberships m join users u on u.id = m.user_id
      where m.organization_id = ? and m.role in ('owner', 'admin') and m.status = 'active' and u.status = 'active'
      order by m.id`,
    [row.organization_id],
  );
  const mails = admins.map(({ email }) =>
    pendingMail(
      'webhook_disabled',
      webhookDisabledEmail({ to: email, organizationName: disabled.name, url: disabled.url }),
    ),
  );
  if (mails.length) await writeMail(tx, mailSecrets(secret), mails);
}

/** This process's part of the queue, as the composition root holds it. */
export interface Queue {
  /**
   * Runs the mail jobs due now in this process, and waits for those its runner is sending (not those
   * still waiting in its local queue); resolves with how many it saw through. For tests that choose when
   * mail goes out (`run: false`).
   */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts this process's graphile-worker runner, which sends mail (`mail`, made by the composition root
 * from mail/outbox.ts) and, given a sender, webhook deliveries. Any number of processes may run one: a job
 * is taken with FOR UPDATE SKIP LOCKED, so in the normal case exactly one process runs it; a process that
 * dies holding one leaves it locked until the lock timeout (`lockTimeoutMs`, 10 minutes) frees it for another.
 *
 * On the embedded database (every connection shares one session) it runs one job at a time, fetched one
 * by one, without named prepared statements (they would collide in the shared session).
 */
export async function startQueue(
  options: QueueOptions & { url: string; embedded: boolean },
  parts: { orm: MikroORM; secret: string; mail: Task; prune: { task: Task; crontab: string } },
  log: (message: string, error?: unknown) => void,
): Promise<Queue> {
  const { sender, embedded } = options;
  const concurrency = embedded ? 1 : (options.concurrency ?? 8);
  const fetchBatch = embedded ? 1 : (options.fetchBatch ?? 32);
  // Our own pool, so that an idle connection the server drops (a restart, a failover) is logged and
  // replaced, never an unhandled 'error' that ends the process; ended after the runner stops.
  const pool = new pg.Pool({ connectionString: options.url, max: concurrency + 2 });
  const failed = (error: Error) => log('job queue: a PostgreSQL connection failed', error);
  pool.on('error', failed);
  pool.on('connect', (client) => client.on('error', failed));
  const logger = new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`graphile-worker: ${message}`);
  });
  // Mail jobs in this process's hands, for drain() to wait for.
  const sending = new Set<Promise<void>>();
  const mail: Task = (payload, helpers) => {
    const done = Promise.resolve(parts.mail(payload, helpers)).then(() => {});
    sending.add(done);
    return done.finally(() => sending.delete(done));
  };
  const preparedStatements = !embedded;
  const runner: Runner | undefined =
    options.run === false
      ? undefined
      : await run({
          pgPool: pool,
          concurrency,
          pollInterval: options.pollMs ?? (embedded ? 1_000 : 2_000),
          preset: {
            worker: {
              ...(fetchBatch > 1 ? { localQueue: { size: fetchBatch, ttl: 60_000 } } : {}),
              completeJobBatchDelay: options.completeBatchMs ?? 10,
              preparedStatements,
            },
          },
          noHandleSignals: true,
          // Deliveries are queued and wait when no sender is given (tests; the composition root gives one).
          taskList: {
            [MAIL_TASK]: mail,
            [PRUNE_TASK]: parts.prune.task,
            ...(sender ? { [DELIVERY_TASK]: deliveryTask(parts.orm, parts.secret, sender) } : {}),
          },
          crontab: parts.prune.crontab,
          logger,
        });
  // graphile-worker frees a dead worker's jobs after 4 hours; this does it after lockTimeoutMs, with the
  // statement graphile-worker uses (sql/resetLockedAt.js), on its tables: any runner may, at any time.
  const lockTimeoutSeconds = (options.lockTimeoutMs ?? 600_000) / 1000;
  const freeStaleLocks = () =>
    pool
      .query(
        `with j as (
           update graphile_worker._private_jobs set locked_at = null, locked_by = null, run_at = greatest(run_at, now())
            where locked_at < now() - make_interval(secs => $1))
         update graphile_worker._private_job_queues set locked_at = null, locked_by = null
          where locked_at < now() - make_interval(secs => $1)`,
        [lockTimeoutSeconds],
      )
      .catch((error: unknown) => log('job queue: could not free the jobs of dead workers', error));
  const sweeper = runner ? setInterval(freeStaleLocks, options.resetLockedMs ?? 60_000).unref() : undefined;
  if (runner) void freeStaleLocks();
  // Stopping twice (a runtime stopped again at shutdown) waits for the first stop.
  let stopping: Promise<void> | undefined;
  return {
    async drain() {
      let handled = 0;
      const counted: Task = (payload, helpers) => {
        handled++;
        return parts.mail(payload, helpers);
      };
      for (;;) {
        await runOnce({
          pgPool: pool,
          concurrency: 1,
          noHandleSignals: true,
          preset: { worker: { preparedStatements } },
          taskList: { [MAIL_TASK]: counted },
          logger,
        });
        if (!sending.size) return handled;
        handled += sending.size;
        await Promise.allSettled([...sending]);
      }
    },
    stop: () => {
      clearInterval(sweeper);
      stopping ??= (runner?.stop() ?? Promise.resolve()).finally(() => pool.end());
      return stopping;
    },
  };
}
