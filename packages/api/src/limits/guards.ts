import { isIP } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import type { ThrottleStore } from './throttle-store.js';

const MINUTE = 60_000;

/**
 * The throttle numbers (the README explains them). They count failures, never successes: a valid
 * credential or the right password from an address that has not itself failed is never refused.
 */
export const throttleLimits = {
  /** Failed API-key or session checks from one address; past this its failures say TOO_MANY_REQUESTS. */
  credentialFailures: { max: 50, windowMs: MINUTE },
  password: {
    windowMs: 15 * MINUTE,
    /** A person mistyping gets five tries per account from where they are. */
    perAccountAddress: 5,
    /** One address guessing across many accounts (credential stuffing); an office NAT stays well under. */
    perAddress: 100,
    /** The account-wide brake: after this many failures from anywhere in `accountWindowMs`… */
    brakeAfter: 10,
    accountWindowMs: 60 * MINUTE,
    /** …addresses the account has not signed in from get one attempt per 5 s, 10 s, … at most 60 s. */
    brakeStepMs: 5_000,
    brakeMaxMs: 60_000,
  },
};

/**
 * The address a throttle counts: IPv4 as it is, IPv6 by its /64 (one host or home gets a whole /64,
 * so counting single addresses would give an attacker 2^64 fresh counters).
 */
export function throttleAddress(ip: string | null): string {
  if (!ip) return '-';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export function tooManyAttempts(resetInMs: number, message: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
  return new AppError('TOO_MANY_REQUESTS', `${message}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/**
 * Counts a failed credential check (API key or session) from `address` and returns the error to
 * answer: the check's own until the address has failed too often, then TOO_MANY_REQUESTS so a
 * misconfigured client backs off. Runs only after the check failed, so a valid credential is never
 * refused because other requests from the same address (a NAT, a shared proxy) failed.
 */
export async function credentialFailed(store: ThrottleStore, address: string | null, error: AppError) {
  const { max, windowMs } = throttleLimits.credentialFailures;
  const { count, resetInMs } = await store.hit(`cred:addr:${throttleAddress(address)}`, windowMs);
  return count > max ? tooManyAttempts(resetInMs, 'Too many failed credentials') : error;
}

export interface PasswordAttempt {
  /** The password was right: the reserved attempts are given back. */
  succeeded(): Promise<void>;
  /** The password was wrong: it counts, and the account-wide brake learns of it. */
  failed(): Promise<void>;
}

/**
 * Admits a password check or refuses it (TOO_MANY_REQUESTS with the time to retry) before any
 * hashing. Failures are counted per (account, address) and per address, reserved before the check
 * so parallel attempts cannot slip past; a success gives its reservation back. Failures of the
 * account from everywhere drive a brake, not a lock (as Keycloak's brute-force detection slows
 * rather than disables): past `brakeAfter`, addresses the account has not signed in from share one
 * attempt per growing interval, while an address it has signed in from is never braked. So
 * failures from other addresses never lock the owner out; the worst case, from a new address during
 * an attack, is a wait of `brakeMaxMs` (and a password reset always works).
 */
export async function beginPasswordAttempt(
  store: ThrottleStore,
  input: { account: string; address: string | null; knownAddress: () => Promise<boolean> },
): Promise<PasswordAttempt> {
  const limits = throttleLimits.password;
  const account = input.account.toLowerCase();
  const address = throttleAddress(input.address);
  const accountBucket = `pw:acct:${account}`;
  const reserved: string[] = [];
  const giveBack = async () => {
    await Promise.all(reserved.map((bucket) => store.unhit(bucket)));
  };
  const refuse = async (resetInMs: number): Promise<never> => {
    await giveBack(); // a refused attempt checked nothing, so it is no failure
    throw tooManyAttempts(resetInMs, 'Too many failed sign-in attempts');
  };
  for (const [bucket, max] of [
    [`pw:addr:${address}`, limits.perAddress],
    [`pw:pair:${account}:${address}`, limits.perAccountAddress],
  ] as const) {
    const { count, resetInMs } = await store.hit(bucket, limits.windowMs);
    reserved.push(bucket);
    if (count > max) await refuse(resetInMs);
  }
  const failures = (await store.peek(accountBucket))?.count ?? 0;
  if (failures >= limits.brakeAfter && !(await input.knownAddress())) {
    const interval = Math.min(limits.brakeMaxMs, limits.brakeStepMs * (failures - limits.brakeAfter + 1));
    const slot = await store.hit(`pw:brake:${account}`, interval);
    if (slot.count > 1) await refuse(slot.resetInMs);
  }
  return {
    succeeded: giveBack,
    async failed() {
      await store.hit(accountBucket, limits.accountWindowMs);
    },
  };
}

/** Whether the user signed in from this address in the last 30 days (then the account brake spares it). */
export async function signedInFrom(em: EntityManager, userId: string | undefined, ip: string | null) {
  if (!ip) return false;
  const rows = await em.execute(
    `select 1 from sessions where user_id = ? and ip = ? and created_at > now() - interval '30 days' limit 1`,
    [userId ?? '', ip],
  );
  return rows.length > 0;
}
