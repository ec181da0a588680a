import { generateKeyPairSync } from 'node:crypto';
import type { Runtime } from '@gatehouse/api';
import { bearer, callerFor, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { createGatehouseClient, createTokenVerifier, TokenVerificationError } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { type ServerType, serve } from '@hono/node-server';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { freePort } from './processes.js';

// A real listening server: the verifier fetches the JWKS over HTTP like any other service would.
let db: TestDatabase;
let runtime: Runtime;
let server: ServerType;
let url: string;
let jwksFetches = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  runtime = await startTestRuntime(db, { publicUrl: url });
  const app = appFor(runtime);
  server = serve({
    port,
    hostname: '127.0.0.1',
    fetch: (request) => {
      if (new URL(request.url).pathname === '/.well-known/jwks.json') jwksFetches++;
      return app.fetch(request);
    },
  });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.stop();
  await db?.drop();
});

async function serviceAccount(role = 'member') {
  const owner = await ownerWithKey(db.orm);
  const gh = callerFor(runtime, bearer(owner.key));
  const sa = await gh.serviceAccounts.create({ organizationId: owner.organizationId, name: 'orders', role });
  const credential = await gh.serviceAccounts.credentials.create({
    organizationId: owner.organizationId,
    serviceAccountId: sa.id,
  });
  return { owner, sa, credential };
}

async function token(clientId: string, clientSecret: string, extra: Record<string, string> = {}) {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...extra }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: unknown) => (error instanceof TokenVerificationError ? error.code : String(error)),
  );

describe('token endpoint and offline verification over HTTP', () => {
  it('publishes RFC 8414 metadata and a JWKS of public keys with cache headers', async () => {
    const metadata = await fetch(`${url}/.well-known/oauth-authorization-server`);
    expect(await metadata.json()).toMatchObject({
      issuer: url,
      token_endpoint: `${url}/oauth/token`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    const jwks = await fetch(`${url}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const { keys } = (await jwks.json()) as { keys: Record<string, string>[] };
    // The access tokens' keys (ES256), and the one Ed25519 key that signs `v1a,` webhook deliveries.
    const tokenKeys = keys.filter((k) => k.kty !== 'OKP');
    expect(tokenKeys.length).toBeGreaterThan(0);
    for (const key of tokenKeys) expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys.filter((k) => k.kty === 'OKP')).toEqual([
      { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String), x: expect.any(String) },
    ]);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });

  it('a service gets a token, calls Gatehouse with it, and another verifies it offline', async () => {
    const { owner, sa, credential } = await serviceAccount();
    const accessToken = await token(credential.clientId, credential.clientSecret, { scope: 'members:read' });
    const gh = createGatehouseClient({ url, accessToken });
    const me = await gh.auth.whoami();
    expect(me).toMatchObject({ principal: 'serviceAccount', userId: sa.id });
    await gh.trpc.organizations.members.query({ organizationId: owner.organizationId });

    const verifier = createTokenVerifier({ issuer: url, audience: url, organizationId: owner.organizationId });
    const claims = await verifier.verify(accessToken, { requiredScopes: ['members:read'] });
    expect(claims).toMatchObject({ sub: sa.id, org: owner.organizationId, client_id: credential.clientId });
    expect(claims.scopes).toEqual(['members:read']);
    expect(await codeOf(verifier.verify(accessToken, { requiredScopes: ['members:remove'] }))).toBe(
      'TOKEN_SCOPE_INSUFFICIENT',
    );
  });

  it('refuses the same bad tokens offline as Gatehouse does', async () => {
    const { credential } = await serviceAccount();
    const good = await token(credential.clientId, credential.clientSecret);
    const forBilling = await token(credential.clientId, credential.clientSecret, { audience: 'https://billing.test' });
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const publicJwk = (
      (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
    ).keys.find((k) => k.kid === kid);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const { key: ours } = await runtime.signingKeys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, [string, string]> = {
      none: [`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`, 'TOKEN_ALGORITHM_NOT_ALLOWED'],
      confused: [
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
        'TOKEN_ALGORITHM_NOT_ALLOWED',
      ],
      unknownKey: [
        await new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'ghk_unknown' })
          .sign(stranger),
        'TOKEN_KEY_UNKNOWN',
      ],
      impostor: [
        await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(stranger),
        'TOKEN_SIGNATURE_INVALID',
      ],
      widened: [
        `${header}.${b64({ ...claims, scope: 'organizations:delete' })}.${signature}`,
        'TOKEN_SIGNATURE_INVALID',
      ],
      expired: [
        await new SignJWT({ ...claims, iat: now - 1000, exp: now - 100 })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
          .sign(ours),
        'TOKEN_EXPIRED',
      ],
      wrongAudience: [forBilling, 'TOKEN_CLAIMS_INVALID'],
    };
    const verifier = createTokenVerifier({ issuer: url, audience: url, cooldownMs: 0 });
    expect(await codeOf(verifier.verify(good))).toBe('OK');
    for (const [name, [bad, code]] of Object.entries(cases)) {
      expect(`${name}: ${await codeOf(verifier.verify(bad))}`).toBe(`${name}: ${code}`);
      const refused = await callerFor(runtime, bearer(bad))
        .auth.whoami()
        .then(
          () => 'OK',
          (e: { code?: string }) => e.code,
        );
      expect(`${name}: ${refused}`).toBe(`${name}: UNAUTHORIZED`);
    }
    // The billing service accepts the token meant for it; a service pinned to another organization does not.
    const billing = createTokenVerifier({ issuer: url, audience: 'https://billing.test' });
    expect(await codeOf(billing.verify(forBilling))).toBe('OK');
    const other = await ownerWithKey(db.orm);
    const pinned = createTokenVerifier({ issuer: url, audience: url, organizationId: other.organizationId });
    expect(await codeOf(pinned.verify(good))).toBe('TOKEN_CLAIMS_INVALID');
  });

  it('refetches the JWKS on an unknown kid at most once per cooldown, and follows a rotation', async () => {
    const { credential } = await serviceAccount();
    const verifier = createTokenVerifier({ issuer: url, audience: url, cooldownMs: 60_000 });
    const before = await token(credential.clientId, credential.clientSecret);
    await verifier.verify(before);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const fetchesBefore = jwksFetches;
    const flood = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new SignJWT({ sub: 'sa_x', org: 'org_x', scope: '', client_id: 'x', jti: String(i) })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: `ghk_flood${i}` })
          .setIssuer(url)
          .setAudience(url)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(stranger),
      ),
    );
    for (const bad of flood) expect(await codeOf(verifier.verify(bad))).toBe('TOKEN_KEY_UNKNOWN');
    expect(jwksFetches - fetchesBefore).toBeLessThanOrEqual(1);

    // A rotation: the new key's tokens verify after one refetch; the previous key's keep verifying.
    const fresh = createTokenVerifier({ issuer: url, audience: url, cooldownMs: 0 });
    await fresh.verify(before); // caches the JWKS as it was
    await runtime.signingKeys.rotate();
    const after = await token(credential.clientId, credential.clientSecret);
    expect(await codeOf(fresh.verify(after))).toBe('OK');
    expect(await codeOf(fresh.verify(before))).toBe('OK');
    expect(await codeOf(callerFor(runtime, bearer(before)).auth.whoami())).toBe('OK');
  });

  it('Gatehouse refuses a deleted account at once; an offline verifier trusts the token until it expires', async () => {
    const { owner, sa, credential } = await serviceAccount();
    const accessToken = await token(credential.clientId, credential.clientSecret);
    await callerFor(runtime, bearer(accessToken)).auth.whoami();
    await callerFor(runtime, bearer(owner.key)).serviceAccounts.delete({
      organizationId: owner.organizationId,
      serviceAccountId: sa.id,
    });
    const refused = await callerFor(runtime, bearer(accessToken))
      .auth.whoami()
      .then(
        () => 'OK',
        (e: { code?: string }) => e.code,
      );
    expect(refused).toBe('UNAUTHORIZED');
    expect(await codeOf(createTokenVerifier({ issuer: url, audience: url }).verify(accessToken))).toBe('OK');
  });
});
