// The same request gets the same decision on every surface: a table of cases × the surfaces of
// adapters.ts, each case expecting one outcome (HTTP status, code, reason) wherever it is sent.
import { callerFor, memberWithKey, ownerWithKey, uniqueEmail, useTestRuntime } from '@gatehouse/api/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, appFor } from '../app.js';
import { bearer } from '../hostile/http.js';
import { type Operation, type Outcome, surfaces } from './adapters.js';

const env = useTestRuntime();

interface Arranged {
  key: string | null;
  operation: Operation;
}

interface Case {
  name: string;
  arrange(): Promise<Arranged>;
  expected: Outcome;
}

const refused = (status: number, code: string, reason: string = code): Outcome => ({
  status,
  code,
  reason,
  retryAfter: status === 429,
});

async function tenant() {
  const owner = await ownerWithKey(env.db.orm);
  const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
  return { owner, member, organizationId: owner.organizationId };
}

const cases: Case[] = [
  {
    name: 'allowed: an owner lists the members',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  // Each operation allowed once, so every surface reaches the service behind it (a 500 there fails the test).
  {
    name: 'allowed: an owner invites',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'invite', organizationId, email: uniqueEmail('same'), role: 'member' },
      };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'allowed: an owner makes a member an admin',
    async arrange() {
      const { owner, member, organizationId } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'updateMemberRole', organizationId, userId: member.userId, role: 'admin' },
      };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'allowed: an owner deactivates a member',
    async arrange() {
      const { owner, member, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: member.userId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'forbidden: a member invites',
    async arrange() {
      const { member, organizationId } = await tenant();
      return {
        key: member.key,
        operation: { op: 'invite', organizationId, email: uniqueEmail('same'), role: 'member' },
      };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden: a member changes another member’s role',
    async arrange() {
      const { member, owner, organizationId } = await tenant();
      const other = await memberWithKey(env.db.orm, owner.organizationId, 'member');
      return {
        key: member.key,
        operation: { op: 'updateMemberRole', organizationId, userId: other.userId, role: 'admin' },
      };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden: a key scoped without members:read lists the members',
    async arrange() {
      const { organizationId } = await tenant();
      const scoped = await memberWithKey(env.db.orm, organizationId, 'admin', ['organizations:read']);
      return { key: scoped.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden by rank: an admin demotes the owner',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
      return {
        key: admin.key,
        operation: { op: 'updateMemberRole', organizationId, userId: owner.userId, role: 'member' },
      };
    },
    expected: refused(403, 'FORBIDDEN', 'OUTRANKED'),
  },
  {
    name: 'not found: a user id that does not exist',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: `usr_${'0'.repeat(26)}` } };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'cross-tenant: another organization’s member’s role',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const { member: theirs } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'updateMemberRole', organizationId, userId: theirs.userId, role: 'admin' },
      };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'cross-tenant: deactivating another organization’s member',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const { member: theirs } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: theirs.userId } };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'invalid: an invitation to something that is not an email',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'invite', organizationId, email: 'not-an-email', role: 'member' } };
    },
    expected: refused(400, 'BAD_REQUEST'),
  },
  {
    name: 'invalid: a malformed user id',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: 'nope' } };
    },
    expected: refused(400, 'BAD_REQUEST'),
  },
  {
    name: 'unauthenticated: a wrong secret',
    async arrange() {
      const { owner, organizationId } = await tenant();
      // Another last character (never the same one: that would be the right key).
      const wrong = `${owner.key.slice(0, -1)}${owner.key.endsWith('0') ? '1' : '0'}`;
      return { key: wrong, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(401, 'UNAUTHORIZED'),
  },
  {
    name: 'unauthenticated: no credentials',
    async arrange() {
      const { organizationId } = await tenant();
      return { key: null, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(401, 'UNAUTHORIZED'),
  },
  {
    name: 'throttled: a key past its rate limit',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const limited = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
        name: 'limited',
        rateLimit: { limit: 1, windowSeconds: 3600 },
      });
      // The one call of the window, spent before any surface is asked.
      await callerFor(env.runtime, bearer(limited.key)).auth.whoami();
      return { key: limited.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(429, 'TOO_MANY_REQUESTS'),
  },
  {
    name: 'throttled: a key made with a key past its rate limit',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const parent = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
        name: 'limited',
        rateLimit: { limit: 2, windowSeconds: 86_400 },
      });
      // The parent's two calls of the window: minting the child, then one more. The child spends them too.
      const child = await callerFor(env.runtime, bearer(parent.key)).auth.createKey({ name: 'child' });
      await callerFor(env.runtime, bearer(parent.key)).auth.whoami();
      return { key: child.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(429, 'TOO_MANY_REQUESTS'),
  },
];

describe.each(cases)('$name', (testCase) => {
  let app: App;
  let arranged: Arranged;
  beforeAll(async () => {
    app = appFor(env.runtime);
    arranged = await testCase.arrange();
  });

  it.each(surfaces.map((s, i) => [s.name, s, i] as const))('over %s', async (_name, surface, i) => {
    // Each case and surface from its own address: failed credentials are throttled per address.
    const peer = `203.0.113.${(cases.indexOf(testCase) * surfaces.length + i + 1) % 250}`;
    expect(await surface.send(app, arranged.operation, arranged.key, peer)).toEqual(testCase.expected);
  });
});
