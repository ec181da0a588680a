import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Transactional outbox for email: a row is written in the same transaction as what it announces
 * (an invitation, a reset, a low balance), so a rolled-back change sends nothing and a committed
 * one is never lost. A graphile-worker job (task `mail`, queued with the row) sends it and marks it sent;
 * its `run_at` schedules each attempt.
 *
 * The message itself (subject, text and HTML bodies) carries live links (a password reset, an address
 * verification, an invitation), so it is stored only sealed (AES-256-GCM, see the api's outbox.ts) and
 * dropped once the message is sent or dead. The recipient stays readable: it is the same address the
 * users and invitations tables hold, and it is what an operator looks mail up by.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_messages',
  properties: {
    id: p.string().primary(),
    // What the message is about (invitation, password_reset, low_balance): for logs and the dev viewer.
    kind: p.string(),
    toAddress: p.string(),
    // The sealed { subject, text, html }; null once sent or dead.
    payload: p.text().nullable(),
    status: p.enum(['pending', 'sent', 'dead'] as const).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type OutboxMessage = InferEntity<typeof OutboxMessage>;
