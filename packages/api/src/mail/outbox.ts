import { idAt, newId, OutboxMessage } from '@gatehouse/db';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SecretBox } from '../core/crypto.js';
import type { MailMessage, MailTransport } from './transport.js';

export interface OutboxOptions {
  orm: MikroORM;
  transport: MailTransport;
  /**
   * The deployment secret (GATEHOUSE_SECRET, or the one generated and kept in the database): messages
   * are stored sealed under a key derived from it.
   */
  secret: string;
  /** How often to look for due mail when idle. */
  pollMs?: number;
  /**
   * How long a claimed message is left to its worker before another may retry it. Longer than one
   * send can take (the SMTP transport gives up on a stalled server after 30 s).
   */
  leaseMs?: number;
  /** Tries before a message is given up as dead. */
  maxAttempts?: number;
  /** Delay before retry n (1-based) is base × 2^(n-1), capped at an hour. */
  backoffBaseMs?: number;
  /** Sent and dead messages older than this are deleted (their payloads are already dropped). */
  keepDays?: number;
  log?: (message: string, error?: unknown) => void;
}

interface Claimed {
  id: string;
  kind: string;
  to_address: string;
  payload: string | null;
  attempts: number;
}

type Sealed = Pick<MailMessage, 'subject' | 'text' | 'html'>;

// The sealed payload opens only in its own row and for its own recipient: someone who can write the
// table cannot move a live link to another row or redirect it to another inbox.
const associatedData = (id: string, to: string) => `${id}\n${to}`;

/** Stable per message: a resend after a crash carries the same Message-ID, so receivers can drop the copy. */
export const messageIdOf = (id: string) => `${id}@gatehouse`;

/**
 * Delivers the outbox. Any number of server processes may run one: a message is claimed by
 * pushing its next attempt one lease ahead (FOR UPDATE SKIP LOCKED), sent, then marked sent.
 * Delivery is at least once: a process that dies between the SMTP server's "250 OK" and the
 * mark sends that message again after the lease, with the same Message-ID. Nothing committed is
 * lost; a message fails permanently ("dead") after `maxAttempts` tries or a 5xx refusal.
 *
 * The messages carry live links (password resets, address verifications, invitations), so they are
 * stored only sealed (AES-256-GCM under a key derived from the deployment secret, see SecretBox) and
 * the payload is dropped once sent or dead: neither the table nor the database's files (its WAL
 * included) ever hold a link in clear.
 */
export class OutboxWorker {
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly keepMs: number;
  private prunedAt = 0;
  private readonly log: (message: string, error?: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private again = false;
  private readonly box: SecretBox;

  constructor(private readonly options: OutboxOptions) {
    this.pollMs = options.pollMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffBaseMs = options.backoffBaseMs ?? 5_000;
    this.keepMs = (options.keepDays ?? 30) * 86_400_000;
    this.log = options.log ?? (() => {});
    this.box = new SecretBox(options.secret, 'outbox-encryption');
  }

  /**
   * Queues an email on `em`: it is written by the same flush (and so the same transaction) as the
   * change it announces, and delivered after commit. A rolled-back change sends nothing; a committed
   * one is never lost.
   */
  queue(em: EntityManager, kind: string, message: MailMessage): string {
    const id = newId('msg');
    const sealed: Sealed = { subject: message.subject, text: message.text, html: message.html };
    em.create(OutboxMessage, {
      id,
      kind,
      toAddress: message.to,
      payload: this.box.seal(Buffer.from(JSON.stringify(sealed)), associatedData(id, message.to)),
    });
    return id;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due mail now instead of at the next poll (after a commit that queued some). */
  wake(): void {
    if (this.stopped) return;
    // A pass in progress may already have looked: it runs again as soon as it ends.
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the message in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Sends everything due now; resolves with the number of messages it handled. A pass in progress
   * holds the message it claimed (its lease hides it from this look), so drain waits for it too: when
   * drain resolves, whatever was due when it was called has been handled.
   */
  async drain(): Promise<number> {
    let handled = 0;
    do {
      await this.running;
      while (await this.deliverNext()) handled++;
    } while (this.running);
    return handled;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.again = false;
    try {
      while (!this.stopped && (await this.deliverNext()));
      if (Date.now() - this.prunedAt > 3_600_000) await this.prune();
    } catch (error) {
      this.log('mail outbox: could not read due messages', error);
    }
    if (!this.stopped) this.schedule(this.again ? 0 : this.pollMs);
  }

  /**
   * Deletes old finished messages, a bounded batch an hour. Ids sort by creation time, so "older
   * than keepDays" is a primary-key range: no scan, no extra index.
   */
  async prune(): Promise<number> {
    this.prunedAt = Date.now();
    const before = idAt('msg', Date.now() - this.keepMs);
    const deleted = await this.options.orm.em.fork().execute<{ id: string }[]>(
      `delete from outbox_messages where id in (
         select id from outbox_messages where id < ? and status <> 'pending' order by id limit 10000)
       returning id`,
      [before],
    );
    return deleted.length;
  }

  /**
   * Claims one due message and delivers it. One at a time, so a lease covers a single send: a
   * claimed batch would leave its tail waiting behind slow sends and let another worker take it.
   */
  private async deliverNext(): Promise<boolean> {
    const em = this.options.orm.em.fork();
    const [message] = await em.execute<Claimed[]>(
      `update outbox_messages set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
       where id = (
         select id from outbox_messages where status = 'pending' and next_attempt_at <= now()
         order by next_attempt_at limit 1 for update skip locked)
       returning id, kind, to_address, payload, attempts`,
      [this.leaseMs / 1000],
    );
    if (!message) return false;
    await this.deliver(em, message);
    return true;
  }

  private async deliver(em: EntityManager, message: Claimed): Promise<void> {
    const opened = message.payload && this.box.open(message.payload, associatedData(message.id, message.to_address));
    if (!opened) {
      // No retry can help: the key is derived from the secret, so the secret changed since the message
      // was queued (or the row was altered). Given up at once, saying so, rather than tried again.
      const reason = 'the message does not decrypt: was GATEHOUSE_SECRET changed?';
      await this.failed(em, message, reason, 'dead (no retry can open it)');
      return;
    }
    const { subject, text, html } = JSON.parse(opened.toString()) as Sealed;
    try {
      await this.options.transport.send({
        to: message.to_address,
        subject,
        text,
        html,
        messageId: messageIdOf(message.id),
      });
    } catch (error) {
      const dead = isPermanentRefusal(error)
        ? 'dead (a permanent refusal is not retried)'
        : message.attempts >= this.maxAttempts
          ? 'dead (that was the last try)'
          : undefined;
      await this.failed(em, message, describe(error), dead);
      return;
    }
    // The payload carries live links (invitation, reset): once sent it is nobody's business here.
    await em.execute(
      `update outbox_messages set status = 'sent', sent_at = now(), last_error = null, payload = null where id = ?`,
      [message.id],
    );
  }

  /**
   * Records a failed attempt and logs why and what happens next: a retry at a stated time, or (`dead`
   * says why) none, the payload dropped.
   */
  private async failed(em: EntityManager, message: Claimed, reason: string, dead?: string): Promise<void> {
    const delayMs = Math.min(this.backoffBaseMs * 2 ** (message.attempts - 1), 3_600_000);
    const next = dead ?? `retry at ${new Date(Date.now() + delayMs).toISOString()}`;
    this.log(
      `mail outbox: ${message.kind} ${message.id} attempt ${message.attempts} of ${this.maxAttempts} failed: ${reason}; ${next}`,
    );
    await em.execute(
      `update outbox_messages set status = ?, last_error = ?, next_attempt_at = now() + make_interval(secs => ?)
       ${dead ? ', payload = null' : ''} where id = ?`,
      [dead ? 'dead' : 'pending', reason, delayMs / 1000, message.id],
    );
  }
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
