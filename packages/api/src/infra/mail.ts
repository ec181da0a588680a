import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SecretBox } from '../core/crypto.js';
import type { Mail } from './caller.js';

/** The graphile-worker task that sends one outbox_messages row (mail/outbox.ts). */
export const MAIL_TASK = 'mail';

/** The hourly graphile-worker task (its crontab) that deletes old finished messages (mail/outbox.ts). */
export const PRUNE_TASK = 'outbox_prune';

/** A mail `work` asked for, written when it returns (transaction.ts). */
export interface PendingMail {
  id: string;
  kind: string;
  message: Mail;
}

/** What is sealed: the subject and bodies carry live links (resets, verifications, invitations). */
export type SealedMail = Pick<Mail, 'subject' | 'text' | 'html'>;

// The sealed payload opens only in its own row and for its own recipient: someone who can write the
// table cannot move a live link to another row or redirect it to another inbox.
export const mailAssociatedData = (id: string, to: string) => `${id}\n${to}`;

/** Queued mail is sealed under this purpose's key: writeMail seals, the mail task (mail/outbox.ts) opens. */
export const mailSecrets = (secret: string) => new SecretBox(secret, 'outbox-encryption');

export const pendingMail = (kind: string, message: Mail): PendingMail => ({ id: newId('msg'), kind, message });

/**
 * Writes `mails` in the caller's transaction `tx`, each sealed under `box` in an outbox_messages row, with
 * the graphile-worker job that sends it, in one statement: a rolled-back change sends nothing, a committed
 * one loses nothing, and the queue's NOTIFY (sent by add_job, delivered at commit) wakes a runner at once.
 */
export async function writeMail(tx: EntityManager, box: SecretBox, mails: readonly PendingMail[]): Promise<void> {
  const rows = mails.map(({ id, kind, message }) => {
    const sealed: SealedMail = { subject: message.subject, text: message.text, html: message.html };
    return {
      id,
      kind,
      to_address: message.to,
      payload: box.seal(Buffer.from(JSON.stringify(sealed)), mailAssociatedData(id, message.to)),
    };
  });
  // The job names its row, where the attempts are kept; its key lets a retry replace it (mail/outbox.ts).
  await tx.execute(
    `with m as (
       insert into outbox_messages (id, kind, to_address, payload, status, attempts, created_at)
       select id, kind, to_address, payload, 'pending', 0, now()
         from jsonb_to_recordset(?::jsonb) as m(id text, kind text, to_address text, payload text)
       returning id)
     select graphile_worker.add_job(?, json_build_object('messageId', m.id), max_attempts := 25, job_key := m.id) from m`,
    [JSON.stringify(rows), MAIL_TASK],
  );
}
