import { newId, OutboxMessage } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailMessage } from './transport.js';

/**
 * Queues an email on `em`: it is written by the same flush (and so the same transaction) as the
 * change it announces, and delivered by the outbox worker after commit. A rolled-back change sends
 * nothing; a committed one is never lost.
 */
export function queueMail(em: EntityManager, kind: string, message: MailMessage): string {
  const id = newId('msg');
  em.create(OutboxMessage, {
    id,
    kind,
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html ?? null,
  });
  return id;
}
