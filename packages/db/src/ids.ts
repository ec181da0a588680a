import { randomBytes } from 'node:crypto';

// The contract's public prefixes, plus internal ones (mem, ses, prt) that never leave the server.
export const idPrefixes = [
  'usr',
  'org',
  'mem',
  'key',
  'ses',
  'prt',
  'inv',
  'sa',
  'cred',
  'txn',
  'role',
  'team',
  'prj',
  'sso',
  'evt',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

// Crockford base32, lower-cased: ids sort by creation time as plain strings.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `<prefix>_<26 chars>`: 10 chars of millisecond time, then 16 chars (80 bits) of randomness. */
export function newId<P extends IdPrefix>(prefix: P, now = Date.now()): `${P}_${string}` {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[(bytes[i] as number) & 31];
  return `${prefix}_${time}${rand}`;
}

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_[${ALPHABET}]{26}$`);
}
