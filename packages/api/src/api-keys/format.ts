import { randomLowerAlnum, randomString, sha256Hex } from '../core/crypto.js';

// gh_<8 lowercase alphanumerics>_<43 base62 chars: 256 bits>. The prefix is public and indexed;
// only the SHA-256 of the secret is stored (a 256-bit secret needs no slow hash).
const KEY_PATTERN = /^(gh_[a-z0-9]{8})_([0-9A-Za-z]{43})$/;

export function generateKey() {
  const keyPrefix = `gh_${randomLowerAlnum(8)}`;
  const secret = randomString(43);
  return { keyPrefix, key: `${keyPrefix}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseKey(key: string): { keyPrefix: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { keyPrefix: match[1] as string, secret: match[2] as string } : null;
}
