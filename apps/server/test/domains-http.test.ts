// Verified domains through a real server process: GATEHOUSE_DNS_SERVERS points it at this test's DNS
// server on loopback (dns2), and the claim is proven over REST.
import type { ChildProcess } from 'node:child_process';
import { ownerWithKey } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { createServer, Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

const txt = new Map<string, string>();
const dns = createServer({
  udp: true,
  handle: (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const name = request.questions[0]?.name ?? '';
    const value = txt.get(name.toLowerCase());
    if (value) {
      response.answers.push({
        name,
        type: Packet.TYPE.TXT,
        class: Packet.CLASS.IN,
        ttl: 1,
        data: value,
      } as unknown as (typeof response.answers)[number]);
    }
    send(response);
  },
});

let db: TestDatabase;
let server: ChildProcess;
let url: string;
beforeAll(async () => {
  const addresses = await dns.listen({ udp: { port: 0, address: '127.0.0.1' } });
  db = await createTestDatabase();
  const port = await freePort();
  server = await startServer({
    ...process.env,
    DATABASE_URL: db.url,
    PORT: String(port),
    GATEHOUSE_DNS_SERVERS: `127.0.0.1:${addresses.udp?.port}`,
    LOG_LEVEL: 'info',
  });
  url = `http://127.0.0.1:${port}/api/v1`;
}, 60_000);
afterAll(async () => {
  if (server) await stopServer(server);
  await dns.close();
  await db?.drop();
});

async function rest(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('verified domains over HTTP', () => {
  it('claims, fails to verify without the record, verifies with it, and refuses a second holder', async () => {
    const a = await ownerWithKey(db.orm);
    const b = await ownerWithKey(db.orm);
    const claim = async (o: typeof a) => {
      const added = await rest(o.key, 'POST', `/organizations/${o.organizationId}/domains`, {
        domain: 'Acme-Http.Example',
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        domain: 'acme-http.example',
        status: 'pending',
        txt_name: '_gatehouse-challenge.acme-http.example',
      });
      return added.body as { id: string; txt_name: string; txt_value: string };
    };
    const da = await claim(a);
    const db_ = await claim(b);
    const verify = (o: typeof a, id: string) =>
      rest(o.key, 'POST', `/organizations/${o.organizationId}/domains/${id}/verify`);

    const missing = await verify(a, da.id);
    expect([missing.status, missing.body.code, missing.body.reason]).toEqual([
      400,
      'BAD_REQUEST',
      'DOMAIN_NOT_VERIFIED',
    ]);

    txt.set(da.txt_name, da.txt_value);
    const verified = await verify(a, da.id);
    expect([verified.status, verified.body.status]).toEqual([200, 'verified']);

    txt.set(db_.txt_name, db_.txt_value);
    const taken = await verify(b, db_.id);
    expect([taken.status, taken.body.reason]).toEqual([409, 'DOMAIN_TAKEN']);

    const listed = await rest(b.key, 'GET', `/organizations/${b.organizationId}/domains`);
    expect((listed.body.items as { status: string }[]).map((d) => d.status)).toEqual(['pending']);
  });
});
