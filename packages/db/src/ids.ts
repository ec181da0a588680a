import { randomBytes } from 'node:crypto';
import { ALPHABET, type IdPrefix } from './values.js';

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
  const time = encodeTime(now);
  let rand = '';
  for (let i = 0, r = random; i < 16; i++, r >>= 5n) rand = ALPHABET[Number(r & 31n)] + rand;
  return `${prefix}_${time}${rand}`;
}

function encodeTime(ms: number): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  return time;
}

/** The smallest id of `prefix` made at `ms`: every id made earlier sorts below it (a time range as a key range). */
export function idAt<P extends IdPrefix>(prefix: P, ms: number): `${P}_${string}` {
  return `${prefix}_${encodeTime(ms)}${'0'.repeat(16)}`;
}
