// SSO connections (issue 28, OIDC): enable / retrieve / update / disable / test on real PostgreSQL, the
// IdP's discovery served by a stub issuer on loopback (testing/oidc.ts), fetched through the guarded fetcher.
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';
import { loopbackOnly } from '../testing/loopback-only.js';
import { seedRole } from '../testing/matrix.js';
import { sharedStubIssuer } from '../testing/oidc.js';

const violations = loopbackOnly();
const env = useTestRuntime({ allowLoopbackUrls: true });
const orm = () => env.db.orm;
const as = (key: string) => callerAs(env.runtime, key);
const issuer = async (bend?: Parameters<Awaited<ReturnType<typeof sharedStubIssuer>>['issuer']>[0]) =>
  (await sharedStubIssuer()).issuer(bend);

const SECRET = 'the client secret 7f3a';
const enableInput = async (organizationId: string, more: Record<string, unknown> = {}) => ({
  organizationId,
  identifier: await issuer(),
  clientId: 'gatehouse-client',
  clientSecret: SECRET,
  ...more,
});

async function rowOf(organizationId: string) {
  const [row] = await orm()
    .em.fork()
    .execute<{ id: string; client_secret_sealed: string; identifier: string }[]>(
      'select id, client_secret_sealed, identifier from sso_connections where organization_id = ?',
      [organizationId],
    );
  return row;
}

async function auditOf(organizationId: string, action: string) {
  return orm()
    .em.fork()
    .execute<{ changes: Record<string, unknown> }[]>(
      'select changes from audit_events where organization_id = ? and action = ? order by id',
      [organizationId, action],
    );
}

describe('sso.enable', () => {
  it('discovers the issuer, stores the secret sealed, and the organization shows ssoEnabled', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key);
    const input = await enableInput(owner.organizationId, { defaultRole: 'viewer', ssoRequired: true });
    const connection = await c.sso.enable(input);
    expect(connection).toMatchObject({
      identifier: input.identifier,
      clientId: 'gatehouse-client',
      clientSecretSet: true,
      protocol: 'oidc',
      defaultRole: 'viewer',
      ssoRequired: true,
      protocols: {
        oauth2: {
          authorization_endpoint: `${input.identifier}/auth`,
          token_endpoint: `${input.identifier}/token`,
          jwks_uri: `${input.identifier}/jwks`,
          registration_endpoint: null,
          scopes_supported: ['openid', 'email', 'profile'],
          code_challenge_methods_supported: ['S256'],
        },
        openid: { userinfo_endpoint: `${input.identifier}/me` },
      },
    });
    expect(JSON.stringify(connection)).not.toContain(SECRET);
    const row = await rowOf(owner.organizationId);
    expect(row?.client_secret_sealed).not.toContain(SECRET);
    expect(row?.client_secret_sealed).toMatch(/^v1\./);
    expect(env.runtime.sso.secrets.open(row?.client_secret_sealed ?? '', `sso-client:${row?.id}`)?.toString()).toBe(
      SECRET,
    );
    // Copied into another connection's row, it does not open.
    expect(env.runtime.sso.secrets.open(row?.client_secret_sealed ?? '', 'sso-client:sso_other')).toBeNull();
    expect((await c.organizations.retrieve({ organizationId: owner.organizationId })).ssoEnabled).toBe(true);
    const [audit] = await auditOf(owner.organizationId, 'sso.enabled');
    expect(audit?.changes).toMatchObject({ identifier: { from: null, to: input.identifier } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(await c.sso.retrieve({ organizationId: owner.organizationId, expand: ['permissions'] })).toMatchObject({
      id: connection.id,
      permissions: { sso: { read: true, write: true } },
    });
  });

  it('one connection per organization: a second enable is CONFLICT', async () => {
    const owner = await ownerWithKey(orm());
    await as(owner.key).sso.enable(await enableInput(owner.organizationId));
    expect(await refusalOf(as(owner.key).sso.enable(await enableInput(owner.organizationId)))).toBe(
      'CONFLICT:CONFLICT',
    );
  });

  it('refuses a discovery document whose issuer is not the configured one, and stores nothing', async () => {
    const owner = await ownerWithKey(orm());
    const identifier = await issuer((document) => ({ ...document, issuer: 'http://127.0.0.1:1/someone-else' }));
    const error = await rejectionOf(
      as(owner.key).sso.enable({ ...(await enableInput(owner.organizationId)), identifier }),
    );
    expect(`${error.code}:${(error.cause as { reason?: string }).reason}`).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(error.message).toContain('issuer is http://127.0.0.1:1/someone-else, not the configured');
    expect(await rowOf(owner.organizationId)).toBeUndefined();
    expect(await auditOf(owner.organizationId, 'sso.enabled')).toEqual([]);
    expect((await as(owner.key).organizations.retrieve({ organizationId: owner.organizationId })).ssoEnabled).toBe(
      false,
    );
  });

  it('refuses a discovery without PKCE S256, without a token endpoint, or not JSON; an absent method list is fine', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key);
    const enableAt = async (identifier: string) =>
      c.sso.enable({ ...(await enableInput(owner.organizationId)), identifier });
    const noS256 = await issuer((d) => ({ ...d, code_challenge_methods_supported: ['plain'] }));
    expect((await rejectionOf(enableAt(noS256))).message).toContain('does not support PKCE with S256');
    const noToken = await issuer(({ token_endpoint: _t, ...rest }) => rest);
    expect((await rejectionOf(enableAt(noToken))).message).toContain('token_endpoint');
    const notJson = await issuer(() => '<html>not a discovery document</html>');
    expect(await refusalOf(enableAt(notJson))).toBe('BAD_REQUEST:BAD_REQUEST');
    // An OIDC identifier is an issuer URL: no query, fragment or other scheme.
    for (const identifier of [`${await issuer()}?tenant=x`, 'urn:example:idp', 'ftp://127.0.0.1/x']) {
      expect(await refusalOf(enableAt(identifier))).toBe('BAD_REQUEST:BAD_REQUEST');
    }
    const unreachable = 'http://127.0.0.1:9/nobody';
    expect((await rejectionOf(enableAt(unreachable))).message).toContain('NETWORK');
    const undeclared = await issuer(({ code_challenge_methods_supported: _m, ...rest }) => rest);
    expect((await enableAt(undeclared)).protocols.oauth2.code_challenge_methods_supported).toBeNull();
  });

  it('SAML needs metadata; defaultRole owner and another organization role are refused', async () => {
    const owner = await ownerWithKey(orm());
    const other = await ownerWithKey(orm());
    const c = as(owner.key);
    // SAML without the IdP's metadata (the SAML flow itself: apps/server/test/sso-saml.test.ts).
    const saml = await rejectionOf(c.sso.enable({ ...(await enableInput(owner.organizationId)), protocol: 'saml' }));
    expect(saml.message).toBe('A SAML connection needs samlMetadataXml (the IdP metadata)');
    expect(await refusalOf(c.sso.enable(await enableInput(owner.organizationId, { defaultRole: 'owner' })))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    // A defaultRole of another organization: NOT_FOUND, as any role key of theirs.
    const foreignRole = await seedRole(orm(), other.organizationId, ['projects:read']);
    const [foreign] = await orm()
      .em.fork()
      .execute<{ key: string }[]>('select key from roles where id = ?', [foreignRole]);
    expect(await refusalOf(c.sso.enable(await enableInput(owner.organizationId, { defaultRole: foreign?.key })))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await rowOf(owner.organizationId)).toBeUndefined();
  });

  it('an admin may make JIT members admins (a role they hold)', async () => {
    const owner = await ownerWithKey(orm());
    const admin = await memberWithKey(orm(), owner.organizationId, 'admin');
    const connection = await as(admin.key).sso.enable(
      await enableInput(owner.organizationId, { defaultRole: 'admin' }),
    );
    expect(connection.defaultRole).toBe('admin');
  });

  it('an http issuer is refused where loopback URLs are not allowed (production)', async () => {
    const runtime = await startTestRuntime(env.db);
    try {
      const owner = await ownerWithKey(orm());
      const error = await rejectionOf(callerAs(runtime, owner.key).sso.enable(await enableInput(owner.organizationId)));
      expect(error.message).toContain('must be an https URL');
    } finally {
      await runtime.stop();
    }
  });
});

describe('sso.update, sso.disable, sso.test', () => {
  it('updates: a new issuer is discovered again, a new secret is sealed, the trail never holds it', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key);
    await c.sso.enable(await enableInput(owner.organizationId));
    const before = await rowOf(owner.organizationId);
    const bad = await issuer((d) => ({ ...d, issuer: 'http://127.0.0.1:1/else' }));
    expect(await refusalOf(c.sso.update({ organizationId: owner.organizationId, identifier: bad }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    const next = await issuer();
    const updated = await c.sso.update({
      organizationId: owner.organizationId,
      identifier: next,
      clientSecret: 'a new secret 9c1',
      ssoRequired: true,
    });
    expect(updated).toMatchObject({ identifier: next, ssoRequired: true, clientSecretSet: true });
    expect(updated.protocols.oauth2.token_endpoint).toBe(`${next}/token`);
    const after = await rowOf(owner.organizationId);
    expect(after?.client_secret_sealed).not.toBe(before?.client_secret_sealed);
    const [audit] = await auditOf(owner.organizationId, 'sso.updated');
    expect(audit?.changes).toEqual({
      identifier: { from: before?.identifier, to: next },
      ssoRequired: { from: false, to: true },
      clientSecret: { from: 'set', to: 'replaced' },
    });
  });

  it('test reports each step; disable removes the connection and ssoEnabled follows', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key);
    let broken = false;
    const identifier = await issuer((d) => (broken ? { ...d, issuer: 'http://127.0.0.1:1/else' } : d));
    await c.sso.enable({ ...(await enableInput(owner.organizationId)), identifier });
    expect(await c.sso.test({ organizationId: owner.organizationId })).toEqual({
      ok: true,
      steps: [
        { step: 'discovery', ok: true, detail: expect.any(String) },
        { step: 'jwks', ok: true, detail: `${identifier}/jwks: 1 key` },
      ],
    });
    broken = true;
    const failed = await c.sso.test({ organizationId: owner.organizationId });
    expect(failed.ok).toBe(false);
    expect(failed.steps).toEqual([
      { step: 'discovery', ok: false, detail: expect.stringContaining('not the configured') },
    ]);

    const { id } = await c.sso.retrieve({ organizationId: owner.organizationId });
    expect(await c.sso.disable({ organizationId: owner.organizationId })).toEqual({ id, deleted: true });
    expect(await refusalOf(c.sso.retrieve({ organizationId: owner.organizationId }))).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(c.sso.disable({ organizationId: owner.organizationId }))).toBe('NOT_FOUND:NOT_FOUND');
    expect((await c.organizations.retrieve({ organizationId: owner.organizationId })).ssoEnabled).toBe(false);
    expect(await auditOf(owner.organizationId, 'sso.disabled')).toHaveLength(1);
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
