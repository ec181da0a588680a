import { createHash, createHmac, createPrivateKey, createPublicKey, sign as cryptoSign, hkdfSync } from 'node:crypto';

/**
 * Standard Webhooks (`v1,` HMAC-SHA256): the signed content is `${id}.${timestamp}.${body}`, keyed by
 * the base64 part of a `whsec_…` secret. @gatehouse/client's verifyWebhook checks the same.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The public half of the deployment's webhook key, as published on `/.well-known/jwks.json`. */
export interface WebhookPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export interface WebhookSigningKey {
  jwk: WebhookPublicJwk;
  /** `v1a,<base64 Ed25519 signature>` over `${id}.${timestamp}.${body}`. */
  sign(id: string, timestamp: number, body: string): string;
}

// PKCS#8 DER for an Ed25519 private key, less its 32-byte seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The deployment's Ed25519 key for `v1a,` signatures (endpoints with `signing: 'ed25519'`): derived from
 * the deployment secret (HKDF-SHA256 under its own label), so every process signs with the same key and
 * nothing more is stored. It changes when the secret does; its kid follows from the public key, so a
 * receiver that looks the kid up on the JWKS finds the new one.
 */
export function webhookSigningKey(secret: string): WebhookSigningKey {
  const seed = Buffer.from(hkdfSync('sha256', secret, '', 'gatehouse webhook ed25519', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const kid = `whk-ed25519-${createHash('sha256').update(x).digest('base64url').slice(0, 16)}`;
  return {
    jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' },
    sign: (id, timestamp, body) =>
      `v1a,${cryptoSign(null, Buffer.from(`${id}.${timestamp}.${body}`), privateKey).toString('base64')}`,
  };
}
