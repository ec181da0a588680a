// `v1a,` Ed25519 webhook signatures: an endpoint created with `signing: 'ed25519'` gets deliveries signed
// by the deployment's Ed25519 key, whose public half is on /.well-known/jwks.json (OKP, EdDSA, its own kid);
// the client's verifyWebhook checks them with that JWKS and refuses a tampered body. Real HTTP through the
// runtime's own sender to a loopback receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OwnedRuntime } from '@gatehouse/api';
import { callerAs, memberWithKey, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { verifyWebhook, type WebhookJwk, WebhookVerificationError } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appFor } from './app.js';

const received: { path: string; headers: Record<string, string>; body: string }[] = [];
let receiver: Server;
let base: string;
const env = {} as { db: TestDatabase; runtime: OwnedRuntime };

beforeAll(async () => {
  env.db = await createTestDatabase();
  // Deliveries sent by the runtime's own sender (the guarded fetcher), as a server sends them.
  env.runtime = await startTestRuntime(env.db, { allowLoopbackUrls: true, queue: { url: env.db.url, pollMs: 100 } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await env.runtime?.stop();
  await env.db?.drop();
  await new Promise((resolve) => receiver.close(resolve));
});

async function jwks() {
  const response = await appFor(env.runtime).request('/.well-known/jwks.json');
  expect(response.status).toBe(200);
  return (await response.json()) as { keys: WebhookJwk[] };
}

/** An endpoint at `path` signing as asked, and one event delivered to it: the request the receiver got. */
async function deliveredTo(path: string, signing: 'hmac' | 'ed25519' | undefined) {
  const owner = await ownerWithKey(env.db.orm);
  const gh = callerAs(env.runtime, owner.key);
  const webhook = await gh.webhooks.create({
    organizationId: owner.organizationId,
    url: `${base}${path}`,
    events: ['organization.member_role_changed'],
    ...(signing ? { signing } : {}),
  });
  expect(webhook.signing).toBe(signing ?? 'hmac');
  const member = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
  await gh.organizations.updateMemberRole({
    organizationId: owner.organizationId,
    userId: member.userId,
    role: 'member',
  });
  const request = await vi.waitFor(
    () => {
      const found = received.find((r) => r.path === path);
      expect(found).toBeDefined();
      return found as (typeof received)[number];
    },
    { timeout: 10_000, interval: 50 },
  );
  return { webhook, request, gh, owner };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof WebhookVerificationError ? error.code : error),
  );

describe('v1a, Ed25519 webhook signatures', () => {
  it('publishes the webhook key on the JWKS beside the token keys', async () => {
    const { keys } = await jwks();
    const okp = keys.filter((k) => k.kty === 'OKP');
    expect(okp).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        kid: expect.stringMatching(/^whk-ed25519-/),
        use: 'sig',
        alg: 'EdDSA',
      },
    ]);
    // The access tokens' keys are still there.
    expect(keys.some((k) => k.kty !== 'OKP')).toBe(true);
  });

  it('signs a delivery to an endpoint that asked for it with v1a only, verified with the JWKS', async () => {
    const { request, webhook } = await deliveredTo('/ed25519', 'ed25519');
    expect(request.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    const keySet = await jwks();
    const event = await verifyWebhook(request.body, request.headers, keySet);
    expect(event.type).toBe('organization.member_role_changed');
    // One key of the set works as well.
    const okp = keySet.keys.find((k) => k.kty === 'OKP') as WebhookJwk;
    expect((await verifyWebhook(request.body, request.headers, okp)).id).toBe(event.id);
    // The HMAC secret checks nothing here: there is no v1 signature.
    expect(await refusal(verifyWebhook(request.body, request.headers, webhook.secret))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
  });

  it('refuses a tampered body, a changed id, and another Ed25519 key', async () => {
    const { request } = await deliveredTo('/ed25519-tampered', 'ed25519');
    const keySet = await jwks();
    const tampered = request.body.replace('"member"', '"admin"');
    expect(tampered).not.toBe(request.body);
    expect(await refusal(verifyWebhook(tampered, request.headers, keySet))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await refusal(verifyWebhook(request.body, { ...request.headers, 'webhook-id': 'evt_other' }, keySet))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
    const { publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519'));
    const stranger = publicKey.export({ format: 'jwk' }) as WebhookJwk;
    expect(await refusal(verifyWebhook(request.body, request.headers, { keys: [stranger] }))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
  });

  it('keeps HMAC (v1) for endpoints that did not ask, and switches on update', async () => {
    const { request, webhook, gh, owner } = await deliveredTo('/hmac', undefined);
    expect(request.headers['webhook-signature']).toMatch(/^v1,/);
    expect((await verifyWebhook(request.body, request.headers, webhook.secret)).type).toBe(
      'organization.member_role_changed',
    );
    // The JWKS checks no HMAC signature.
    expect(await refusal(verifyWebhook(request.body, request.headers, await jwks()))).toBe('WEBHOOK_SIGNATURE_INVALID');
    const updated = await gh.webhooks.update({
      organizationId: owner.organizationId,
      webhookId: webhook.id,
      signing: 'ed25519',
    });
    expect(updated.signing).toBe('ed25519');
    const sent = await gh.webhooks.test({ organizationId: owner.organizationId, webhookId: webhook.id });
    expect(sent).toBeDefined();
    const again = await vi.waitFor(
      () => {
        const found = received.filter((r) => r.path === '/hmac');
        expect(found).toHaveLength(2);
        return found[1] as (typeof received)[number];
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(again.headers['webhook-signature']).toMatch(/^v1a,/);
    expect((await verifyWebhook(again.body, again.headers, await jwks())).type).toBe('webhook.test');
  });
});
