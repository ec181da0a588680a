// SSO through a real server process: GATEHOUSE_ALLOW_LOOPBACK_URLS lets it discover this test's stub issuer
// on loopback, and GATEHOUSE_ALLOWED_REDIRECT_ORIGINS decides where a sign-in may hand its code.
import type { ChildProcess } from 'node:child_process';
import { ownerWithKey, type StubIssuer, startStubIssuer } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

let db: TestDatabase;
let server: ChildProcess;
let base: string;
let stub: StubIssuer;
beforeAll(async () => {
  stub = await startStubIssuer();
  db = await createTestDatabase();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({
    ...process.env,
    DATABASE_URL: db.url,
    PORT: String(port),
    GATEHOUSE_PUBLIC_URL: base,
    GATEHOUSE_ALLOW_LOOPBACK_URLS: 'true',
    GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: 'http://app.test',
    LOG_LEVEL: 'info',
  });
}, 60_000);
afterAll(async () => {
  if (server) await stopServer(server);
  await stub?.stop();
  await db?.drop();
});

describe('SSO in a server process', () => {
  it('enables over REST and starts a sign-in only towards an allowed origin', async () => {
    const owner = await ownerWithKey(db.orm);
    const identifier = stub.issuer();
    const enabled = await fetch(`${base}/api/v1/organizations/${owner.organizationId}/sso-connection`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identifier, client_id: 'gatehouse', client_secret: 'a client secret' }),
    });
    expect(enabled.status, await enabled.clone().text()).toBe(201);
    expect(await enabled.json()).toMatchObject({ identifier, client_secret_set: true, protocol: 'oidc' });
    const [row] = await db.orm.em
      .fork()
      .execute<{ label: string }[]>('select label from organizations where id = ?', [owner.organizationId]);

    const startAt = (redirectUri: string) =>
      fetch(`${base}/sso/${row?.label}/start?redirect_uri=${encodeURIComponent(redirectUri)}`, { redirect: 'manual' });
    const allowed = await startAt('http://app.test/signed-in');
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${identifier}/auth`);
    expect(location.searchParams.get('redirect_uri')).toBe(`${base}/sso/callback`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(allowed.headers.get('set-cookie')).toMatch(/^gatehouse_sso=\w{43}; Path=\/sso\/callback;/);

    const refused = await startAt('http://elsewhere.test/signed-in');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { reason: string }).reason).toBe('BAD_REQUEST');
    // The server's own origin needs no listing.
    expect((await startAt(`${base}/app`)).status).toBe(302);
  });
});
