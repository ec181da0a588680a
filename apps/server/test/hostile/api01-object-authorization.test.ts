// OWASP API1:2023 Broken Object Level Authorization: another tenant's objects are NOT_FOUND (never
// FORBIDDEN, which would confirm them), and cursors, the one opaque object a client hands back,
// cannot be forged, edited or carried to another list.
import { markEmailVerified, memberWithKey, ownerWithKey, sessionFor, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { appFor } from '../app.js';
import { bearer, call, expectRefused, PASSWORD, signup, uniqueEmail } from './http.js';

const env = useTestRuntime();

describe("another tenant's objects", () => {
  it('are NOT_FOUND through every door, with no detail naming them', async () => {
    const app = appFor(env.runtime);
    const mine = await ownerWithKey(env.db.orm);
    const theirs = await ownerWithKey(env.db.orm);
    const theirMember = await memberWithKey(env.db.orm, theirs.organizationId, 'member');
    const invitation = (
      await call(
        app,
        'organizations.invite',
        { organizationId: theirs.organizationId, email: uniqueEmail('inv') },
        { headers: bearer(theirs.key) },
      )
    ).result as { id: string };
    const as = { headers: bearer(mine.key) };
    const probes: [string, unknown, boolean?][] = [
      ['organizations.retrieve', { organizationId: theirs.organizationId }, true],
      ['organizations.members', { organizationId: theirs.organizationId }, true],
      ['organizations.update', { organizationId: theirs.organizationId, name: 'Mine now' }],
      ['organizations.delete', { organizationId: theirs.organizationId }],
      ['organizations.addMember', { organizationId: theirs.organizationId, email: mine.email }],
      ['organizations.removeMember', { organizationId: theirs.organizationId, userId: theirMember.userId }],
      ['organizations.listInvitations', { organizationId: theirs.organizationId }, true],
      ['invitations.resend', { invitationId: invitation.id }],
      ['organizations.cancelInvitation', { organizationId: theirs.organizationId, invitationId: invitation.id }],
      ['audit.list', { organizationId: theirs.organizationId }, true],
      ['credits.balance', { organizationId: theirs.organizationId }, true],
      ['users.retrieve', { userId: theirMember.userId }, true],
      ['users.update', { userId: theirMember.userId, name: 'Renamed' }],
      ['users.deactivate', { userId: theirMember.userId }],
      ['users.delete', { userId: theirMember.userId }],
      ['auth.getKey', { keyId: theirMember.keyId }, true],
      ['auth.revokeKey', { keyId: theirMember.keyId }],
    ];
    for (const [path, input, query] of probes) {
      const answer = await call(app, path, input, { ...as, query: query ?? false });
      const data = expectRefused(answer, 'NOT_FOUND');
      expect(JSON.stringify(data), path).not.toContain(theirs.organizationId.slice(4));
    }
    // A session naming their organization in the header is refused the same way.
    const { sessionToken } = await signup(app, 'stranger');
    const named = await call(app, 'auth.whoami', undefined, {
      query: true,
      headers: { ...bearer(sessionToken), 'x-gatehouse-organization': theirs.organizationId },
    });
    expectRefused(named, 'NOT_FOUND');
  });
});

describe('refusal details', () => {
  it('name no other organization: users.delete of someone who owns one elsewhere', async () => {
    const app = appFor(env.runtime);
    const admin = await ownerWithKey(env.db.orm);
    const email = uniqueEmail('owner-elsewhere');
    // Signed in: only a person chooses another person's password.
    const person = bearer(await sessionFor(env.db.orm, admin.userId));
    const created = await call(app, 'users.create', { email, name: 'Owner', password: PASSWORD }, { headers: person });
    const { id: userId } = created.result as { id: string };
    // Proven as by the link a managed account gets mailed: an unverified one may not found an organization.
    await markEmailVerified(env.db.orm, userId);
    const { sessionToken } = (await call(app, 'auth.login', { email, password: PASSWORD })).result as {
      sessionToken: string;
    };
    const elsewhere = (
      await call(app, 'organizations.create', { name: 'Elsewhere' }, { headers: bearer(sessionToken) })
    ).result as { id: string };
    expect(elsewhere.id).toMatch(/^org_/);
    const refused = expectRefused(
      await call(app, 'users.delete', { userId }, { headers: bearer(admin.key) }),
      'CONFLICT',
      'HAS_DEPENDENCIES',
    );
    expect(refused.details).toMatchObject({ ownedOrganizations: 1 });
    expect(JSON.stringify(refused)).not.toMatch(/org_[0-9a-z]{26}/);
  });
});

describe('cursors', () => {
  it('refuse forgery, editing and reuse on another list as BAD_REQUEST INVALID_CURSOR', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    for (let i = 0; i < 3; i++) await memberWithKey(env.db.orm, owner.organizationId, 'member');
    for (let i = 0; i < 3; i++) await memberWithKey(env.db.orm, other.organizationId, 'member');
    const list = (input: object, key = owner.key) =>
      call(app, 'users.list', input, { query: true, headers: bearer(key) });
    const first = (await list({ limit: 1 })).result as { pageInfo: { endCursor: string } };
    const cursor = first.pageInfo.endCursor;
    expect((await list({ limit: 1, cursor })).error).toBeUndefined();

    const [payload = '', mac = ''] = cursor.split('.');
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify([position[0], 'mem_zzzzzzzzzzzzzzzzzzzzzzzzzz'])).toString(
      'base64url',
    );
    const flip = (s: string) => `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    const tampered = [
      'garbage',
      '.',
      `${payload}.`,
      `.${mac}`,
      `${payload}.${flip(mac)}`,
      `${forgedPayload}.${mac}`,
      `${flip(payload)}.${mac}`,
      Buffer.from('{"id":"mem_1"}').toString('base64'),
      `${payload}.${mac}`.toUpperCase(),
      'x'.repeat(512),
    ];
    for (const bad of tampered) {
      const answer = await list({ limit: 1, cursor: bad });
      expectRefused(answer, 'BAD_REQUEST', 'INVALID_CURSOR');
    }
    expectRefused(await list({ limit: 1, cursor: 'x'.repeat(513) }), 'BAD_REQUEST');
    // The same cursor on another filter, another list, or another organization's same list.
    expectRefused(await list({ limit: 1, cursor, search: 'member' }), 'BAD_REQUEST', 'INVALID_CURSOR');
    expectRefused(
      await call(app, 'auth.listKeys', { cursor }, { query: true, headers: bearer(owner.key) }),
      'BAD_REQUEST',
      'INVALID_CURSOR',
    );
    expectRefused(await list({ limit: 1, cursor }, other.key), 'BAD_REQUEST', 'INVALID_CURSOR');
  });
});
