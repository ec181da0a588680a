// Verifying a webhook delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
// `webhook-signature` with space-separated `v1,<base64 HMAC-SHA256>` signatures, or `v1a,<base64 Ed25519>`
// for an endpoint with `signing: 'ed25519'`, checked against the server's JWKS). WebCrypto only, so it
// runs wherever the client does (Node ≥ 20, Deno, Bun, workers, browsers).
import type { GatehouseEvent } from './router.js';

export type WebhookErrorCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing or malformed. */
  | 'WEBHOOK_HEADERS_MISSING'
  /** No signature matches a given secret: not from Gatehouse, or the body was changed. */
  | 'WEBHOOK_SIGNATURE_INVALID'
  /** Signed more than the tolerance (5 minutes) away from now: a replay, or a badly wrong clock. */
  | 'WEBHOOK_TIMESTAMP_STALE'
  /** Signed, but not an event (a secret shared with something else?). */
  | 'WEBHOOK_PAYLOAD_INVALID';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyWebhookOptions {
  /** Seconds a delivery may be signed before or after now (default 300, as Standard Webhooks). */
  toleranceSeconds?: number;
  /** For tests: the time to check the timestamp against. */
  now?: Date;
}

/** A public key from Gatehouse's `/.well-known/jwks.json` (only Ed25519 `OKP` keys check `v1a,`). */
export interface WebhookJwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
  alg?: string;
  use?: string;
}
/** How a delivery is checked: the endpoint's `whsec_…` secret(s), or the server's public key(s) for `v1a,`. */
export type WebhookVerificationKey = string | readonly string[] | WebhookJwk | { keys: readonly WebhookJwk[] };

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

const base64 = (text: string): Uint8Array<ArrayBuffer> | null => {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
};

/** True when one of the `v1a,` signatures is by one of the Ed25519 keys. */
async function ed25519Valid(
  keys: readonly WebhookJwk[],
  signatures: string,
  signed: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1a,'))
    .map((s) => base64(s.slice(4)))
    .filter((s): s is Uint8Array<ArrayBuffer> => s !== null);
  for (const jwk of keys) {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') continue;
    let key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
    try {
      key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, [
        'verify',
      ]);
    } catch {
      continue;
    }
    for (const signature of given)
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signed)) return true;
  }
  return false;
}

/**
 * Checks a delivery and returns its event, typed by `type`. `body` is the raw request body, exactly
 * as received (parse it only after this). `secret` is the endpoint's `whsec_…` secret; during a
 * rotation pass both, old and new. For an endpoint with `signing: 'ed25519'`, pass the server's JWKS
 * (`/.well-known/jwks.json`, or one key from it) instead: `v1a,` signatures are checked against its
 * Ed25519 keys. Throws WebhookVerificationError.
 *
 *     const event = await verifyWebhook(await request.text(), request.headers, process.env.WEBHOOK_SECRET);
 *     if (event.type === 'organization.member_added') grant(event.data.userId, event.data.role);
 */
export async function verifyWebhook(
  body: string,
  headers: HeaderSource,
  secret: WebhookVerificationKey,
  options: VerifyWebhookOptions = {},
): Promise<GatehouseEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !/^\d{1,12}$/.test(timestamp) || !signatures) {
    throw new WebhookVerificationError('WEBHOOK_HEADERS_MISSING', 'Missing or malformed webhook-* headers');
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('WEBHOOK_TIMESTAMP_STALE', 'The delivery was signed too long ago (or ahead)');
  }
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  let valid = false;
  if (typeof secret === 'string' || Array.isArray(secret)) {
    const given = signatures
      .split(' ')
      .filter((s) => s.startsWith('v1,'))
      .map((s) => base64(s.slice(3)))
      .filter((s): s is Uint8Array<ArrayBuffer> => s !== null);
    for (const candidate of typeof secret === 'string' ? [secret] : (secret as readonly string[])) {
      const raw = base64(candidate.replace(/^whsec_/, ''));
      if (!raw) continue;
      const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      // subtle.verify compares in constant time.
      for (const signature of given) if (await crypto.subtle.verify('HMAC', key, signature, signed)) valid = true;
    }
  } else {
    const given = secret as WebhookJwk | { keys: readonly WebhookJwk[] };
    const keys = 'keys' in given ? given.keys : [given];
    valid = await ed25519Valid(keys, signatures, signed);
  }
  if (!valid) throw new WebhookVerificationError('WEBHOOK_SIGNATURE_INVALID', 'No signature matches the secret');
  let event: GatehouseEvent & { occurredAt: Date | string };
  try {
    event = JSON.parse(body);
  } catch {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'The body is not JSON');
  }
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || event.id !== id) {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'The body is not the event the headers name');
  }
  return { ...event, occurredAt: new Date(event.occurredAt) } as GatehouseEvent;
}
