import { idAt } from '@gatehouse/db';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Task } from 'graphile-worker';
import { MAIL_TASK, mailAssociatedData, mailSecrets, type SealedMail } from '../infra/mail.js';
import { systemTransaction } from '../infra/transaction.js';
import type { MailTransport } from './transport.js';

export interface MailTaskOptions {
  orm: MikroORM;
  transport: MailTransport;
  /** The deployment secret: messages are sealed under a key derived from it (mailSecrets). */
  secret: string;
  /** Tries before a message is given up as dead (default 8). */
  maxAttempts?: number;
  /** Delay before retry n (1-based) is base × 2^(n-1), capped at an hour (default 5 s). */
  backoffBaseMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** Stable per message: a resend after a crash carries the same Message-ID, so receivers can drop the copy. */
export const messageIdOf = (id: string) => `${id}@gatehouse`;

interface Claimed {
  id: string;
  kind: string;
  to_address: string;
  payload: string | null;
  attempts: number;
}

/**
 * The graphile-worker task that sends one outbox message (its job is queued with the row by
 * infra/mail.ts). Any number of processes run it: graphile-worker hands a job to one of them (FOR UPDATE
 * SKIP LOCKED). Delivery is at least once: a process that dies between the SMTP server's "250 OK" and the
 * mark leaves its job locked until the queue's lock timeout (10 minutes, queue/worker.ts), and it is sent again, with
 * the same Message-ID. A failed attempt writes its error and queues the next attempt (backoff) as a new
 * job under the same key, in one transaction; after `maxAttempts` tries, a 5xx refusal or a payload that
 * does not open, the message is dead. Its payload (live links) is dropped once it is sent or dead.
 */
export function mailTask(options: MailTaskOptions): Task {
  const box = mailSecrets(options.secret);
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffBaseMs = options.backoffBaseMs ?? 5_000;
  const log = options.log ?? (() => {});

  /** Records a failed attempt and logs why and what follows: a retry at a stated time, or (`dead` says why) none. */
  const failed = async (message: Claimed, reason: string, dead?: string) => {
    const delayMs = Math.min(backoffBaseMs * 2 ** (message.attempts - 1), 3_600_000);
    const retryAt = new Date(Date.now() + delayMs);
    log(
      `mail outbox: ${message.kind} ${message.id} attempt ${message.attempts} of ${maxAttempts} failed: ${reason}; ${dead ?? `retry at ${retryAt.toISOString()}`}`,
    );
    await systemTransaction(options.orm, async (tx) => {
      await tx.execute(
        `update outbox_messages set status = ?, last_error = ? ${dead ? ', payload = null' : ''} where id = ?`,
        [dead ? 'dead' : 'pending', reason, message.id],
      );
      // This job completes; the next attempt is a new job under the same key.
      if (!dead) {
        await tx.execute(
          `select graphile_worker.add_job(?, json_build_object('messageId', ?::text), run_at := ?, max_attempts := 25, job_key := ?)`,
          [MAIL_TASK, message.id, retryAt, message.id],
        );
      }
    });
  };

  return async (payload) => {
    const { messageId } = payload as { messageId: string };
    const em = options.orm.em.fork();
    // Sent or dead already (a job run again after its process died): nothing to do.
    const [message] = await em.execute<Claimed[]>(
      `update outbox_messages set attempts = attempts + 1 where id = ? and status = 'pending'
       returning id, kind, to_address, payload, attempts`,
      [messageId],
    );
    if (!message) return;
    const opened = message.payload && box.open(message.payload, mailAssociatedData(message.id, message.to_address));
    if (!opened) {
      // No retry can help: the key is derived from the secret, so the secret changed since the message
      // was queued (or the row was altered). Given up at once, saying so, rather than tried again.
      await failed(
        message,
        'the message does not decrypt: was GATEHOUSE_SECRET changed?',
        'dead (no retry can open it)',
      );
      return;
    }
    const { subject, text, html } = JSON.parse(opened.toString()) as SealedMail;
    try {
      await options.transport.send({ to: message.to_address, subject, text, html, messageId: messageIdOf(message.id) });
    } catch (error) {
      const dead = isPermanentRefusal(error)
        ? 'dead (a permanent refusal is not retried)'
        : message.attempts >= maxAttempts
          ? 'dead (that was the last try)'
          : undefined;
      await failed(message, describe(error), dead);
      return;
    }
    // The payload carries live links (invitation, reset): once sent it is nobody's business here.
    await em.execute(
      `update outbox_messages set status = 'sent', sent_at = now(), last_error = null, payload = null where id = ?`,
      [message.id],
    );
  };
}

/**
 * Deletes sent and dead messages older than `keepDays` (their payloads are already dropped), a bounded
 * batch a run. Ids sort by creation time, so "older than keepDays" is a primary-key range: no scan.
 */
export async function pruneOutbox(em: EntityManager, keepDays = 30): Promise<number> {
  const before = idAt('msg', Date.now() - keepDays * 86_400_000);
  const deleted = await em.execute<{ id: string }[]>(
    `delete from outbox_messages where id in (
       select id from outbox_messages where id < ? and status <> 'pending' order by id limit 10000)
     returning id`,
    [before],
  );
  return deleted.length;
}

/** A 5xx reply (e.g. "550 no such mailbox") will not change on retry; connection failures and 4xx may. */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const text =
    error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}
