// OWASP API3:2023 Broken Object Property Level Authorization (no writing a field one may not, no
// reading a secret) and API5:2023 Broken Function Level Authorization (no procedure beyond one's
// role or key scopes).
import { markEmailVerified, memberWithKey, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { appFor } from '../app.js';
import { bearer, call, expectRefused, signup, uniqueEmail } from './http.js';

const env = useTestRuntime();

describe('property level', () => {
  it('refuses fields a caller may not set, by name, instead of dropping them', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const as = { headers: bearer(owner.key) };
    const attempts: [string, Record<string, unknown>, string][] = [
      ['users.update', { userId: member.userId, status: 'active' }, 'status'],
      ['users.update', { userId: member.userId, email: 'stolen@example.com' }, 'email'],
      ['users.update', { userId: member.userId, platformRole: 'admin' }, 'platformRole'],
      ['users.updateMe', { platformRole: 'admin' }, 'platformRole'],
      ['users.updateMe', { emailVerified: true }, 'emailVerified'],
      ['organizations.update', { organizationId: owner.organizationId, plan: 'enterprise' }, 'plan'],
      [
        'organizations.update',
        { organizationId: owner.organizationId, settings: { isPlatform: true } },
        'settings.isPlatform',
      ],
      ['auth.createKey', { name: 'k', organizationId: 'org_00000000000000000000000000' }, 'organizationId'],
      ['auth.createKey', { name: 'k', userId: member.userId }, 'userId'],
      [
        'auth.signup',
        { email: uniqueEmail('s'), password: 'a sturdy passphrase', name: 'S', platformRole: 'admin' },
        'platformRole',
      ],
    ];
    for (const [path, input, field] of attempts) {
      const data = expectRefused(await call(app, path, input, as), 'BAD_REQUEST');
      expect(data.fieldErrors?.[field], `${path} ${field}`).toEqual(['Unknown field']);
    }
  });

  it('never returns a hash, a secret after creation, or a password', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const as = { headers: bearer(owner.key) };
    const created = (await call(app, 'auth.createKey', { name: 'once' }, as)).result as { id: string; key: string };
    const reads = [
      await call(app, 'auth.getKey', { keyId: created.id }, { ...as, query: true }),
      await call(app, 'auth.listKeys', {}, { ...as, query: true }),
      await call(app, 'users.me', undefined, { ...as, query: true }),
      await call(app, 'users.list', {}, { ...as, query: true }),
      await call(app, 'organizations.members', { organizationId: owner.organizationId }, { ...as, query: true }),
    ];
    for (const read of reads) {
      const text = JSON.stringify(read.result);
      expect(read.error).toBeUndefined();
      // ('password' alone is the sign-in source of a member, not a credential.)
      expect(text.replaceAll('"source":"password"', '')).not.toMatch(/secret|hash|password/i);
      expect(text).not.toContain(created.key.split('_')[2]);
    }
  });
});

describe('function level', () => {
  it('refuses what the role or the key scopes do not hold, as FORBIDDEN', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const scoped = await memberWithKey(env.db.orm, owner.organizationId, 'admin', ['members:read']);
    const organizationId = owner.organizationId;
    const attempts: [string, string, Record<string, unknown>][] = [
      [viewer.key, 'organizations.update', { organizationId, name: 'Viewer rules' }],
      [viewer.key, 'organizations.delete', { organizationId }],
      [viewer.key, 'organizations.invite', { organizationId, email: uniqueEmail('v') }],
      [viewer.key, 'users.create', { email: uniqueEmail('v'), name: 'V' }],
      [viewer.key, 'users.preRegister', { emails: [uniqueEmail('v')] }],
      [viewer.key, 'organizations.updateMemberRole', { organizationId, userId: viewer.userId, role: 'owner' }],
      [scoped.key, 'organizations.update', { organizationId, name: 'Scoped rules' }],
      [scoped.key, 'users.deactivate', { userId: viewer.userId }],
    ];
    for (const [key, path, input] of attempts) {
      expectRefused(await call(app, path, input, { headers: bearer(key) }), 'FORBIDDEN');
    }
    // Not even an owner adds credits to their own balance (that is the platform's).
    const { sessionToken, userId: founderId } = await signup(app, 'founder');
    await markEmailVerified(env.db.orm, founderId);
    const own = (await call(app, 'organizations.create', { name: 'Self Grant' }, { headers: bearer(sessionToken) }))
      .result as { id: string };
    expectRefused(
      await call(
        app,
        'credits.grant',
        { organizationId: own.id, amount: 1000, type: 'grant', idempotencyKey: 'self' },
        { headers: bearer(sessionToken) },
      ),
      'FORBIDDEN',
      'PLATFORM_ONLY',
    );
  });

  it('has no procedure reachable by a method it does not take, nor any unlisted one', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const viaGet = await call(
      app,
      'organizations.delete',
      { organizationId: owner.organizationId },
      { query: true, headers: bearer(owner.key) },
    );
    expect(viaGet.status).toBe(405);
    expectRefused(await call(app, 'internal.debug', {}, { headers: bearer(owner.key) }), 'NOT_FOUND');
    expect((await app.request('/admin')).status).toBe(404);
  });
});
