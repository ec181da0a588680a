import { randomLowerAlnum, randomString, sha256Hex } from '../core/crypto.js';

// Client ids are `ghc_` + 16 lowercase alphanumerics (public, indexed); secrets are `ghcs_` + 43 base62
// characters (256 bits), of which only the SHA-256 is stored, as for API keys.
const CLIENT_ID = /^ghc_[a-z0-9]{16}$/;
const CLIENT_SECRET = /^ghcs_[0-9A-Za-z]{43}$/;

export function generateClientCredential() {
  const clientSecret = `ghcs_${randomString(43)}`;
  return { clientId: `ghc_${randomLowerAlnum(16)}`, clientSecret, secretHash: sha256Hex(clientSecret) };
}

/** The pair if both are well-formed, else null (a malformed pair is refused like a wrong one). */
export function parseClientSecret(clientId: string, clientSecret: string): { clientId: string; secret: string } | null {
  return CLIENT_ID.test(clientId) && CLIENT_SECRET.test(clientSecret) ? { clientId, secret: clientSecret } : null;
}
