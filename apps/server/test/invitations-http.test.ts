// The invitation flow end to end: a real server process delivers the email over SMTP from its
// outbox (a job on its queue), and the typed client does the rest over HTTP. No runtime in this file:
// its own queue runner would compete with the server's for the mail.
import type { ChildProcess } from 'node:child_process';
import { ownerWithKey, startTestSmtpServer, type TestSmtpServer } from '@gatehouse/api/testing';
import { createGatehouseClient } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

let db: TestDatabase;
const servers: ChildProcess[] = [];
const smtps: TestSmtpServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
// Each test's servers stop with it: one left running would deliver the next test's mail to its own SMTP server.
afterEach(async () => {
  await Promise.all(servers.splice(0).map(stopServer));
  await Promise.all(smtps.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await db?.drop();
});

async function server(smtpPort: number) {
  const port = await freePort();
  const child = await startServer({
    ...process.env,
    DATABASE_URL: db.url,
    PORT: String(port),
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    GATEHOUSE_PUBLIC_URL: 'https://id.example.test',
    LOG_LEVEL: 'info',
  });
  servers.push(child);
  return { child, url: `http://127.0.0.1:${port}` };
}

const tokenIn = (text: string) => /invitations\/accept\?token=([\w-]+)/.exec(text)?.[1] as string;

describe('invitations over HTTP', () => {
  it('invite → email over SMTP → lookup → accept → member, through the typed client', { timeout: 60_000 }, async () => {
    const smtp = await startTestSmtpServer();
    smtps.push(smtp);
    const { url } = await server(Number(new URL(smtp.url).port));
    const owner = await ownerWithKey(db.orm, 'Typed Invites');
    const admin = createGatehouseClient({ url, apiKey: owner.key });

    const invitation = await admin.organizations.invite(owner.organizationId, {
      email: 'grace@example.com',
      role: 'viewer',
    });
    const mail = await smtp.waitFor((m) => m.to.includes('grace@example.com'), 10_000);
    expect(mail.text).toContain('https://id.example.test/invitations/accept?token=');
    const token = tokenIn(mail.text);

    const anonymous = createGatehouseClient({ url });
    expect(await anonymous.invitations.lookup(token)).toMatchObject({
      organizationName: 'Typed Invites',
      role: 'viewer',
      status: 'pending',
    });
    const accepted = await anonymous.invitations.accept(token, { name: 'Grace', password: 'a fine long passphrase 7' });
    const grace = createGatehouseClient({ url, accessToken: accepted.sessionToken as string });
    expect(await grace.auth.whoami()).toMatchObject({ email: 'grace@example.com', roles: ['viewer'] });

    const members: string[] = [];
    for await (const m of admin.organizations.members(owner.organizationId)) members.push(m.email);
    expect(members).toContain('grace@example.com');
    const [listed] = (await admin.organizations.listInvitations(owner.organizationId).page()).items;
    expect(listed).toMatchObject({ id: invitation.id, status: 'accepted' });
  });

  it('keeps mail through an SMTP outage and a server crash, and delivers it after restart', {
    timeout: 90_000,
  }, async () => {
    const smtpPort = await freePort();
    const first = await server(smtpPort);
    const owner = await ownerWithKey(db.orm);
    await createGatehouseClient({ url: first.url, apiKey: owner.key }).organizations.invite(owner.organizationId, {
      email: 'survivor@example.com',
    });
    // The server tries, finds no mail server, records the failure, and dies without a chance to clean
    // up. (A death in the middle of a send is retried once graphile-worker's lock timeout frees its job:
    // see outbox.test.ts.)
    const failed = async () =>
      (
        await db.orm.em
          .fork()
          .execute<{ last_error: string | null }[]>(
            `select last_error from outbox_messages where to_address = 'survivor@example.com'`,
          )
      )[0]?.last_error;
    while (!(await failed())) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');

    const smtp = await startTestSmtpServer({ port: smtpPort });
    smtps.push(smtp);
    await server(smtpPort);
    const mail = await smtp.waitFor((m) => m.to.includes('survivor@example.com'), 30_000);
    expect(tokenIn(mail.text)).toMatch(/^ghi_/);
  });
});
