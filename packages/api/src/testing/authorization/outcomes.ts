// The outcomes the authorization matrix expects, each one exact `code:reason` (or OK), and the way a
// list of calls is compared with them.
import { expect } from 'vitest';
import { inPool, outcomeOf } from '../matrix.js';

export type Outcome = string;

export const OK = 'OK';
export const UNAUTHORIZED = 'UNAUTHORIZED:UNAUTHORIZED';
export const NOT_FOUND = 'NOT_FOUND:NOT_FOUND';
export const FORBIDDEN = 'FORBIDDEN:FORBIDDEN';
export const OUTRANKED = 'FORBIDDEN:OUTRANKED';
export const NOT_MANAGED = 'FORBIDDEN:ACCOUNT_NOT_MANAGED';
export const NOT_KEY_HOLDER = 'FORBIDDEN:NOT_KEY_HOLDER';
export const PLATFORM_ONLY = 'FORBIDDEN:PLATFORM_ONLY';
export const USER_ONLY = 'FORBIDDEN:USER_ONLY';
export const SESSION_ONLY = 'FORBIDDEN:SESSION_ONLY';
export const MEMBERSHIP_DEACTIVATED = 'FORBIDDEN:MEMBERSHIP_DEACTIVATED';
export const ORGANIZATION_SUSPENDED = 'FORBIDDEN:ORGANIZATION_SUSPENDED';
/** A session owing its organization a second factor (settings.enforceMfa) acting there. */
export const MFA_REQUIRED = 'FORBIDDEN:MFA_REQUIRED';
export const ALREADY_MEMBER = 'CONFLICT:ALREADY_MEMBER';
export const BAD_REQUEST = 'BAD_REQUEST:BAD_REQUEST';
// A credential acting in no organization (a platform key) calling a procedure of the caller's organization.
export const NO_ORGANIZATION = 'BAD_REQUEST:BAD_REQUEST';

/** Runs the calls a few at a time and lists `who: outcome` lines, to compare with the expected ones. */
export async function outcomes(calls: [string, () => Promise<unknown>][]): Promise<string[]> {
  return inPool(calls, 3, async ([who, call]) => `${who}: ${(await outcomeOf(call())).outcome}`);
}

/** Calls and the outcome each must have, compared as one list. */
export class Expectations {
  readonly calls: [string, () => Promise<unknown>][] = [];
  readonly expected: string[] = [];
  add(who: string, call: () => Promise<unknown>, outcome: Outcome) {
    this.calls.push([who, call]);
    this.expected.push(`${who}: ${outcome}`);
  }
  async check() {
    expect(await outcomes(this.calls)).toEqual(this.expected);
  }
}
