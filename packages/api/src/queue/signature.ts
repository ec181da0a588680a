import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks (`v1,` HMAC-SHA256): the signed content is `${id}.${timestamp}.${body}`, keyed by
 * the base64 part of a `whsec_…` secret. @gatehouse/client's verifyWebhook checks the same.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
