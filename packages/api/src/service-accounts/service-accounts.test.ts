import { generateKeyPairSync } from 'node:crypto';
import { AuditEvent } from '@gatehouse/db';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { builtInRoles, type Permission } from '../core/permissions.js';
import {
  bearer,
  callerAs,
  callerFor,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  rejectionOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';
import { handleTokenRequest } from '../tokens/http.js';

const env = useTestRuntime();

let ip = 0;
/** POST /oauth/token as the HTTP server calls it (each call from its own address unless given). */
async function tokenRequest(
  form: Record<string, string>,
  { basic, from = `10.9.${++ip % 250}.1` }: { basic?: [string, string]; from?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const response = await handleTokenRequest(
    env.runtime,
    new Request('http://gatehouse.test/oauth/token', { method: 'POST', headers, body: new URLSearchParams(form) }),
    from,
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, string>,
  };
}

/** An organization with an owner key, and a service account of `role` with one credential. */
async function withServiceAccount(role = 'member') {
  const owner = await ownerWithKey(env.db.orm);
  const gh = callerAs(env.runtime, owner.key);
  const sa = await gh.serviceAccounts.create({ organizationId: owner.organizationId, name: 'billing-worker', role });
  const credential = await gh.serviceAccounts.credentials.create({
    organizationId: owner.organizationId,
    serviceAccountId: sa.id,
    name: 'ci',
  });
  const token = async (scope?: string) =>
    (
      await callerAs(env.runtime, owner.key).organizations.exchangeToken({
        organizationId: owner.organizationId,
        clientId: credential.clientId,
        clientSecret: credential.clientSecret,
        ...(scope !== undefined ? { scope } : {}),
      })
    ).access_token;
  return { owner, sa, credential, token };
}

/** A platform admin's platform key (bound to no organization). */
const platformKey = async () => (await platformAdminWithKey(env.db.orm)).platformKey;

const payloadOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

describe('service accounts', () => {
  it('are created with a role, listed, retrieved, updated; a credential secret is shown once and stored hashed', async () => {
    const { owner, sa, credential } = await withServiceAccount();
    const o = { organizationId: owner.organizationId };
    expect(sa).toMatchObject({ organizationId: owner.organizationId, name: 'billing-worker', role: 'member' });
    expect(credential.clientId).toMatch(/^ghc_[a-z0-9]{16}$/);
    expect(credential.clientSecret).toMatch(/^ghcs_[0-9A-Za-z]{43}$/);
    const gh = callerAs(env.runtime, owner.key).serviceAccounts;
    expect((await gh.list(o)).items.map((s) => s.id)).toEqual([sa.id]);
    const listed = await gh.credentials.list({ ...o, serviceAccountId: sa.id });
    expect(listed.items).toEqual([expect.objectContaining({ id: credential.id, clientId: credential.clientId })]);
    expect(JSON.stringify(listed)).not.toContain(credential.clientSecret);
    const [row] = await env.db.orm.em
      .fork()
      .execute<{ secret_hash: string }[]>('select secret_hash from service_account_credentials where id = ?', [
        credential.id,
      ]);
    expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const retrieved = await gh.retrieve({ ...o, serviceAccountId: sa.id, expand: ['permissions'] });
    expect(retrieved.permissions?.serviceAccounts).toEqual({ read: true, write: true });
    const updated = await gh.update({ ...o, serviceAccountId: sa.id, role: 'viewer', description: 'nightly' });
    expect(updated).toMatchObject({ role: 'viewer', description: 'nightly' });
    const renamed = await gh.credentials.update({
      ...o,
      serviceAccountId: sa.id,
      credentialId: credential.id,
      expiresInDays: 30,
    });
    expect(renamed.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const actions = (await env.db.orm.em.fork().find(AuditEvent, o, { orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'service_account.created',
        'service_account.credential_created',
        'service_account.updated',
        'service_account.credential_updated',
      ]),
    );
  });

  it('never holds owner, nor a role beyond its creator', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const o = { organizationId: owner.organizationId };
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).serviceAccounts.create({ ...o, name: 'root', role: 'owner' })),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
    // A custom role that may manage service accounts but holds little else cannot make an admin one.
    await callerAs(env.runtime, owner.key).roles.create({
      ...o,
      key: 'robots',
      name: 'Robots',
      permissions: ['serviceAccounts:read', 'serviceAccounts:write'],
    });
    const robots = await memberWithKey(env.db.orm, owner.organizationId, 'robots');
    expect(
      await refusalOf(callerAs(env.runtime, robots.key).serviceAccounts.create({ ...o, name: 'x', role: 'admin' })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    // Nor act on one stronger than itself: a credential would hand out the admin account's authority.
    const admin = await callerAs(env.runtime, owner.key).serviceAccounts.create({ ...o, name: 'ops', role: 'admin' });
    expect(
      await refusalOf(
        callerAs(env.runtime, robots.key).serviceAccounts.credentials.create({ ...o, serviceAccountId: admin.id }),
      ),
    ).toBe('FORBIDDEN:OUTRANKED');
    expect(
      await refusalOf(callerAs(env.runtime, robots.key).serviceAccounts.delete({ ...o, serviceAccountId: admin.id })),
    ).toBe('FORBIDDEN:OUTRANKED');
  });

  it('are NOT_FOUND from another organization', async () => {
    const { owner, sa, credential } = await withServiceAccount();
    const other = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, other.key).serviceAccounts;
    const theirs = { organizationId: owner.organizationId, serviceAccountId: sa.id };
    expect(await refusalOf(gh.retrieve(theirs))).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(gh.credentials.list(theirs))).toBe('NOT_FOUND:NOT_FOUND');
    // Naming one's own organization with another's account id finds nothing either.
    const mine = { organizationId: other.organizationId, serviceAccountId: sa.id };
    expect(await refusalOf(gh.retrieve(mine))).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(gh.delete(mine))).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(gh.credentials.delete({ ...mine, credentialId: credential.id }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    // Exchanging its credential in another organization's name is an unknown client.
    expect(
      await refusalOf(
        callerFor(env.runtime).organizations.exchangeToken({
          organizationId: other.organizationId,
          clientId: credential.clientId,
          clientSecret: credential.clientSecret,
        }),
      ),
    ).toBe('UNAUTHORIZED:UNAUTHORIZED');
  });
});

describe('POST /oauth/token', () => {
  it('issues an ES256 access token by HTTP Basic or form, with the contract claims', async () => {
    const { owner, sa, credential } = await withServiceAccount();
    const basic = await tokenRequest(
      { grant_type: 'client_credentials' },
      { basic: [credential.clientId, credential.clientSecret] },
    );
    expect(basic.status).toBe(200);
    expect(basic.headers.get('cache-control')).toBe('no-store');
    expect(basic.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const [header] = basic.body.access_token?.split('.') ?? [];
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: expect.stringMatching(/^ghk_/),
    });
    const claims = payloadOf(basic.body.access_token as string);
    expect(claims).toMatchObject({
      iss: 'http://gatehouse.test',
      aud: 'http://gatehouse.test',
      sub: sa.id,
      org: owner.organizationId,
      client_id: credential.clientId,
      jti: expect.any(String),
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(String(claims.scope).split(' ')).toContain('members:read');

    const form = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
      scope: 'members:read',
    });
    expect(form.status).toBe(200);
    expect(form.body.scope).toBe('members:read');
    await env.runtime.credentialUsage.flush(); // written in batches, every 2 s
    const used = await callerAs(env.runtime, owner.key).serviceAccounts.credentials.retrieve({
      organizationId: owner.organizationId,
      serviceAccountId: sa.id,
      credentialId: credential.id,
    });
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('refuses as RFC 6749 §5.2 says', async () => {
    const { credential } = await withServiceAccount();
    const wrong = await tokenRequest(
      { grant_type: 'client_credentials' },
      { basic: [credential.clientId, `ghcs_${'x'.repeat(43)}`] },
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    const unknown = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'ghc_nobody',
      client_secret: 'x',
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const grant = await tokenRequest({ grant_type: 'password', client_id: credential.clientId, client_secret: 'x' });
    expect(grant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const missing = await tokenRequest({ client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const twice = await tokenRequest(
      { grant_type: 'client_credentials', client_secret: credential.clientSecret },
      { basic: [credential.clientId, credential.clientSecret] },
    );
    expect(twice).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const garbled = await tokenRequest({ grant_type: 'client_credentials' }, { basic: ['%E0%A4%A', 'x'] });
    expect(garbled).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // Scope only narrows: a member account asking for members:remove, or for an unknown scope, gets nothing.
    for (const scope of ['members:read members:remove', 'workflows:read']) {
      const wider = await tokenRequest({
        grant_type: 'client_credentials',
        client_id: credential.clientId,
        client_secret: credential.clientSecret,
        scope,
      });
      expect(wider).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    }
    const json = await handleTokenRequest(
      env.runtime,
      new Request('http://gatehouse.test/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      }),
      '10.8.0.1',
    );
    expect(json.status).toBe(400);
  });

  it('refuses an expired credential', async () => {
    const { credential } = await withServiceAccount();
    await env.db.orm.em
      .fork()
      .execute(`update service_account_credentials set expires_at = now() - interval '1 second' where id = ?`, [
        credential.id,
      ]);
    const expired = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
    });
    expect(expired).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses a suspended organization: new tokens, and the tokens it already has', async () => {
    const { owner, credential, token } = await withServiceAccount();
    const issued = await token();
    await callerAs(env.runtime, issued).auth.whoami();
    await callerAs(env.runtime, await platformKey()).platform.organizations.suspend({
      organizationId: owner.organizationId,
      reason: 'unpaid',
    });
    expect(await refusalOf(callerAs(env.runtime, issued).auth.whoami())).toBe('FORBIDDEN:ORGANIZATION_SUSPENDED');
    const refused = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
    });
    expect(refused).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
  });

  it('throttles token requests per client and per address', async () => {
    const runtime = await startTestRuntime(env.db, { tokenRequestLimits: { perClient: 3, perAddress: 5 } });
    try {
      const { credential } = await withServiceAccount();
      const ask = (from: string) =>
        handleTokenRequest(
          runtime,
          new Request('http://gatehouse.test/oauth/token', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: credential.clientId,
              client_secret: credential.clientSecret,
            }),
          }),
          from,
        );
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask(`10.7.1.${i}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await ask('10.7.2.1');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await runtime.stop();
    }
  });
});

describe('access tokens on Gatehouse', () => {
  it('act as the service account: whoami, its role ∩ the token scope, audited as the service account', async () => {
    const { owner, sa, credential, token } = await withServiceAccount('admin');
    const full = await token();
    const me = await callerAs(env.runtime, full).auth.whoami();
    expect(me).toMatchObject({
      principal: 'serviceAccount',
      userId: sa.id,
      roles: ['admin'],
      organization: { id: owner.organizationId },
      serviceAccount: { id: sa.id, clientId: credential.clientId },
    });
    const o = { organizationId: owner.organizationId };
    await callerAs(env.runtime, full).roles.create({
      ...o,
      key: 'auditor',
      name: 'Auditor',
      permissions: ['audit:read'],
    });
    const [event] = await env.db.orm.em.fork().find(AuditEvent, { ...o, action: 'role.created' });
    expect(event).toMatchObject({ actorType: 'serviceAccount', actorId: sa.id });
    // Narrowed to members:read, the admin account reads members and nothing else.
    const narrow = await token('members:read');
    await callerAs(env.runtime, narrow).organizations.members(o);
    expect(await refusalOf(callerAs(env.runtime, narrow).roles.list(o))).toBe('FORBIDDEN:FORBIDDEN');
    // Its identity is its own organization's, and it never acts as a user.
    const other = await ownerWithKey(env.db.orm);
    expect(
      await refusalOf(callerAs(env.runtime, full).organizations.members({ organizationId: other.organizationId })),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(callerAs(env.runtime, full).auth.createKey({ name: 'escape' }))).toBe('FORBIDDEN:USER_ONLY');
    expect(await refusalOf(callerAs(env.runtime, full).organizations.create({ name: 'Mine' }))).toBe(
      'FORBIDDEN:USER_ONLY',
    );
    expect(
      await refusalOf(
        callerAs(env.runtime, full).organizations.invite({ ...o, email: 'x@example.com', role: 'viewer' }),
      ),
    ).toBe('FORBIDDEN:USER_ONLY');
    // A role change applies to tokens already issued.
    await callerAs(env.runtime, owner.key).serviceAccounts.update({ ...o, serviceAccountId: sa.id, role: 'viewer' });
    expect(
      await refusalOf(
        callerAs(env.runtime, full).roles.create({ ...o, key: 'later', name: 'L', permissions: ['audit:read'] }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
  });

  it('lists service accounts among the identities', async () => {
    const { owner, sa } = await withServiceAccount();
    const page = await callerAs(env.runtime, owner.key).organizations.listIdentities({
      organizationId: owner.organizationId,
      limit: 1,
    });
    const next = await callerAs(env.runtime, owner.key).organizations.listIdentities({
      organizationId: owner.organizationId,
      cursor: page.pageInfo.endCursor ?? '',
    });
    const all = [...page.items, ...next.items];
    expect(all).toEqual(
      expect.arrayContaining([
        { id: sa.id, type: 'serviceAccount', name: 'billing-worker' },
        expect.objectContaining({ id: owner.userId, type: 'user', email: owner.email }),
      ]),
    );
    expect(all).toHaveLength(2);
  });

  it('stop at once when the account or the credential is deleted, in every process', async () => {
    const { owner, sa, credential, token } = await withServiceAccount();
    const o = { organizationId: owner.organizationId };
    const second = await startTestRuntime(env.db);
    try {
      const t = await token();
      // Both processes have verified (and cached) it.
      await callerAs(env.runtime, t).auth.whoami();
      await callerFor(second, bearer(t)).auth.whoami();
      await callerAs(env.runtime, owner.key).serviceAccounts.credentials.delete({
        ...o,
        serviceAccountId: sa.id,
        credentialId: credential.id,
      });
      expect(await refusalOf(callerAs(env.runtime, t).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
      await expect
        .poll(async () => refusalOf(callerFor(second, bearer(t)).auth.whoami()), { timeout: 2_000, interval: 20 })
        .toBe('UNAUTHORIZED:UNAUTHORIZED');

      const fresh = await callerAs(env.runtime, owner.key).serviceAccounts.credentials.create({
        ...o,
        serviceAccountId: sa.id,
      });
      const { access_token: t2 } = await callerFor(env.runtime).organizations.exchangeToken({
        ...o,
        clientId: fresh.clientId,
        clientSecret: fresh.clientSecret,
      });
      await callerAs(env.runtime, t2).auth.whoami();
      await callerFor(second, bearer(t2)).auth.whoami();
      await callerAs(env.runtime, owner.key).serviceAccounts.delete({ ...o, serviceAccountId: sa.id });
      expect(await refusalOf(callerAs(env.runtime, t2).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
      await expect
        .poll(async () => refusalOf(callerFor(second, bearer(t2)).auth.whoami()), { timeout: 2_000, interval: 20 })
        .toBe('UNAUTHORIZED:UNAUTHORIZED');
    } finally {
      await second.stop();
    }
  });

  it('refuses alg none, HS256 with the public key, unknown keys, tampered claims, another audience and expiry', async () => {
    const { owner, credential, token } = await withServiceAccount();
    const good = await token();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = payloadOf(good);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const jwks = await env.runtime.signingKeys.jwks();
    const publicJwk = jwks.keys.find((k) => k.kid === kid);

    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`;
    const hmacKey = new TextEncoder().encode(JSON.stringify(publicJwk));
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(hmacKey);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'ghk_unknown' })
      .sign(stranger.privateKey);
    // A foreign key that claims a published kid fails on the signature.
    const impostor = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(stranger.privateKey);
    const widened = `${header}.${b64({ ...claims, scope: 'members:read members:remove organizations:delete' })}.${signature}`;
    const otherOrg = await ownerWithKey(env.db.orm);
    const moved = `${header}.${b64({ ...claims, org: otherOrg.organizationId })}.${signature}`;
    const { key: signingKey } = await env.runtime.signingKeys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims, iat: now - 1000, exp: now - 100 })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(signingKey);
    const wrongType = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(signingKey);
    // Signed by Gatehouse for another service: not accepted by Gatehouse itself.
    const { access_token: forBilling } = await callerFor(env.runtime).organizations.exchangeToken({
      organizationId: owner.organizationId,
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      audience: 'https://billing.internal',
    });
    // Gatehouse's own key, the right claims, but a subject that is not the credential's account.
    const otherSubject = await new SignJWT({ ...claims, sub: 'sa_00000000000000000000000000' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(signingKey);

    await callerAs(env.runtime, good).auth.whoami();
    const cases = { none, confused, foreign, impostor, widened, moved, expired, wrongType, forBilling, otherSubject };
    for (const [name, bad] of Object.entries(cases)) {
      expect(`${name}: ${await refusalOf(callerAs(env.runtime, bad).auth.whoami())}`).toBe(
        `${name}: UNAUTHORIZED:UNAUTHORIZED`,
      );
    }
  });

  it('keeps verifying tokens of the previous key after a rotation, until they expire', async () => {
    const { token } = await withServiceAccount();
    const before = await token();
    const { kid } = await callerAs(env.runtime, await platformKey()).platform.rotateSigningKey();
    // Written with the new key, in its transaction.
    expect(await env.db.orm.em.fork().count(AuditEvent, { action: 'signing_key.rotated', targetId: kid })).toBe(1);
    const after = await token();
    const kidOf = (t: string) =>
      (JSON.parse(Buffer.from(t.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid;
    expect(kidOf(after)).toBe(kid);
    expect(kidOf(before)).not.toBe(kid);
    await callerAs(env.runtime, before).auth.whoami();
    await callerAs(env.runtime, after).auth.whoami();
    const published = (await env.runtime.signingKeys.jwks()).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([kid, kidOf(before)]));
    for (const k of (await env.runtime.signingKeys.jwks()).keys) expect(k).not.toHaveProperty('d');
  });
});

describe('roles held by service accounts', () => {
  it('are not deleted from under them: HAS_DEPENDENCIES, or moved with reassignTo', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const o = { organizationId: owner.organizationId };
    const role = await callerAs(env.runtime, owner.key).roles.create({
      ...o,
      key: 'robot',
      name: 'Robot',
      permissions: ['members:read'],
    });
    const sa = await callerAs(env.runtime, owner.key).serviceAccounts.create({ ...o, name: 'bot', role: 'robot' });
    const refused = await rejectionOf(callerAs(env.runtime, owner.key).roles.delete({ ...o, roleId: role.id }));
    expect((refused.cause as { reason?: string }).reason).toBe('HAS_DEPENDENCIES');
    await callerAs(env.runtime, owner.key).roles.delete({ ...o, roleId: role.id, reassignTo: 'viewer' });
    expect(
      (await callerAs(env.runtime, owner.key).serviceAccounts.retrieve({ ...o, serviceAccountId: sa.id })).role,
    ).toBe('viewer');
  });
});

describe('service accounts as actors', () => {
  // The gate a service account passes is its role's, exactly as for a member holding that role.
  const calls: Record<
    string,
    [Permission, (c: ReturnType<typeof callerFor>, organizationId: string) => Promise<unknown>]
  > = {
    'organizations.members': ['members:read', (c, organizationId) => c.organizations.members({ organizationId })],
    'credits.balance': ['credits:read', (c, organizationId) => c.credits.balance({ organizationId })],
    'audit.list': ['audit:read', (c, organizationId) => c.audit.list({ organizationId })],
    'roles.create': [
      'roles:write',
      (c, organizationId) =>
        c.roles.create({
          organizationId,
          key: `r${Math.random().toString(36).slice(2, 8)}`,
          name: 'R',
          permissions: ['audit:read'],
        }),
    ],
    'serviceAccounts.create': [
      'serviceAccounts:write',
      (c, organizationId) => c.serviceAccounts.create({ organizationId, name: 'child', role: 'viewer' }),
    ],
    'users.list': ['members:read', (c) => c.users.list({})],
  };
  for (const role of ['admin', 'member', 'viewer'] as const) {
    it(`a ${role} account gets what a ${role} member gets`, async () => {
      const { owner, token } = await withServiceAccount(role);
      const t = await token();
      for (const [path, [permission, call]] of Object.entries(calls)) {
        const expected = (builtInRoles[role] as readonly Permission[]).includes(permission) ? 'OK' : 'FORBIDDEN';
        const got = await call(callerAs(env.runtime, t), owner.organizationId).then(
          () => 'OK',
          (e: { code?: string }) => e.code,
        );
        expect(`${role} ${path}: ${got}`).toBe(`${role} ${path}: ${expected}`);
      }
    });
  }
});
