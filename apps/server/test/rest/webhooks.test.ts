// Events and webhooks over REST: the same procedures, snake_case on the wire.
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { beforeAll, expect, it } from 'vitest';
import { type App, appFor } from '../app.js';
import { rest } from './http.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

it('creates a webhook, rotates its secret and lists events by type after a sequence', async () => {
  const owner = await ownerWithKey(env.db.orm);
  const org = `/organizations/${owner.organizationId}`;
  const created = await rest(app, 'POST', `${org}/webhooks`, {
    token: owner.key,
    body: { url: 'https://hooks.example.com/in', events: ['api_key.created', 'api_key.revoked'] },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    id: expect.stringMatching(/^whk_/),
    organization_id: owner.organizationId,
    events: ['api_key.created', 'api_key.revoked'],
    enabled: true,
    signing: 'hmac',
    secret: expect.stringMatching(/^whsec_/),
  });
  // An endpoint may ask for Ed25519 (`v1a,`) signatures, over REST as over tRPC.
  const ed25519 = await rest(app, 'POST', `${org}/webhooks`, {
    token: owner.key,
    body: { url: 'https://hooks.example.com/ed', events: ['api_key.created'], signing: 'ed25519' },
  });
  expect(ed25519.status).toBe(201);
  expect(ed25519.body).toMatchObject({ signing: 'ed25519' });
  const refused = await rest(app, 'POST', `${org}/webhooks`, {
    token: owner.key,
    body: { url: 'https://hooks.example.com/ed', events: ['api_key.created'], signing: 'rsa' },
  });
  expect(refused.status).toBe(400);
  expect(refused.body).toMatchObject({ status: 400, code: 'BAD_REQUEST', reason: 'BAD_REQUEST' });
  expect(Object.keys(refused.body.field_errors)).toEqual(['signing']);
  const rotated = await rest(app, 'POST', `${org}/webhooks/${created.body.id}/rotate-secret`, { token: owner.key });
  expect(rotated.status).toBe(200);
  expect(rotated.body).toMatchObject({
    secret: expect.stringMatching(/^whsec_/),
    previous_secret_expires_at: expect.any(String),
  });

  for (const name of ['a', 'b']) {
    await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name } });
  }
  const events = await rest(app, 'GET', `${org}/events?types=api_key.created&after=1`, { token: owner.key });
  expect(events.status).toBe(200);
  expect(events.body).toMatchObject({ next_after: 2, has_more: false });
  expect(events.body.items).toEqual([
    {
      id: expect.stringMatching(/^ev_/),
      type: 'api_key.created',
      organization_id: owner.organizationId,
      sequence: 2,
      occurred_at: expect.any(String),
      data: expect.objectContaining({ name: 'b' }),
    },
  ]);
  const deliveries = await rest(app, 'GET', `${org}/webhooks/${created.body.id}/deliveries?status=pending`, {
    token: owner.key,
  });
  expect(deliveries.status).toBe(200);
  expect(deliveries.body.items.map((d: { event_type: string }) => d.event_type)).toEqual([
    'api_key.created',
    'api_key.created',
  ]);
});
