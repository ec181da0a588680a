import { randomString, sha256Hex } from '../core/crypto.js';

// gh_<8 lowercase alphanumerics>_<43 base62 chars: 256 bits>. The prefix is public and indexed;
// only the SHA-256 of the secret is stored (a 256-bit secret needs no slow hash).
const KEY_PATTERN = /^(gh_[a-z0-9]{8})_([0-9A-Za-z]{43})$/;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The prefix a key's secret makes: 8 base-36 digits of the secret's SHA-256 (48 bits read, 41 kept; the
 * prefix is public, and says nothing useful of a 256-bit secret). A presented key whose prefix does not
 * follow from its secret was never made here, so it is refused with no lookup: random keys cost what a
 * warm valid key costs, whether or not their prefix exists (no timing oracle on prefixes). Keys made before
 * prefixes were derived are the exception, known to every process by their prefix (legacyKeyPrefixes).
 */
export function prefixFor(secretHash: string): string {
  let n = Number.parseInt(secretHash.slice(0, 12), 16);
  let digits = '';
  for (let i = 0; i < 8; i++) {
    digits += BASE36[n % 36];
    n = Math.floor(n / 36);
  }
  return `gh_${digits}`;
}

export function generateKey() {
  const secret = randomString(43);
  const secretHash = sha256Hex(secret);
  const keyPrefix = prefixFor(secretHash);
  return { keyPrefix, key: `${keyPrefix}_${secret}`, secretHash };
}

export function parseKey(key: string): { keyPrefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { keyPrefix: match[1] as string, secret: match[2] as string } : null;
}
