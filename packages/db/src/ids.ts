import { randomBytes } from 'node:crypto';

// The contract's public prefixes, internal ones (mem, ses, prt, msg) that never leave the server, and
// rsv for credit reservations (the contract names no prefix for them).
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
  'msg',
  'rsv',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

// Crockford base32, lower-cased: ids sort by creation time as plain strings.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

let lastTime = -1;
let lastRandom = 0n;

/**
 * `<prefix>_<26 chars>`: 10 chars of millisecond time, then 16 chars (80 bits) of randomness.
 * Monotonic within a process (as ULID's monotonic mode): in the same millisecond the random part
 * counts up, so rows written together (an audit trail of one transaction) sort in creation order.
 */
export function newId<P extends IdPrefix>(prefix: P, now = Date.now()): `${P}_${string}` {
  let random: bigint;
  if (now <= lastTime) {
    now = lastTime;
    random = lastRandom + 1n;
  } else {
    random = BigInt(`0x${randomBytes(10).toString('hex')}`);
    lastTime = now;
  }
  lastRandom = random;
  let time = '';
  for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  let rand = '';
  for (let i = 0, r = random; i < 16; i++, r >>= 5n) rand = ALPHABET[Number(r & 31n)] + rand;
  return `${prefix}_${time}${rand}`;
}

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_[${ALPHABET}]{26}$`);
}
