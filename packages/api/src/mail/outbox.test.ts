import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { idAt } from '@gatehouse/db';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../testing/smtp.js';
import { messageIdOf, type OutboxOptions, OutboxWorker, queueMail } from './outbox.js';
import { createSmtpTransport, type MailTransport } from './transport.js';

// No runtime here: its own worker would compete for the messages these tests watch.
let db: TestDatabase;
let smtp: TestSmtpServer;
const workers: OutboxWorker[] = [];
const transports: MailTransport[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtpServer({ refuse: (address) => address.startsWith('nobody@') });
});

// Each test watches its own workers: one left polling would take the next test's messages.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await smtp?.stop();
  await db?.drop();
});

function worker(options: Partial<OutboxOptions> & { url?: string } = {}) {
  const transport = options.transport ?? createSmtpTransport(options.url ?? smtp.url);
  transports.push(transport);
  const w = new OutboxWorker({ orm: db.orm, pollMs: 20, backoffBaseMs: 50, ...options, transport });
  workers.push(w);
  return w;
}

let n = 0;
async function queue(to = `user${++n}@example.com`, text = `hello ${n}`) {
  const em = db.orm.em.fork();
  const id = await em.transactional(async (tx) => queueMail(tx, 'test', { to, subject: `Subject ${n}`, text }));
  return { id, to };
}

async function row(id: string) {
  const [r] = await db.orm.em
    .fork()
    .execute<{ status: string; attempts: number; text_body: string; last_error: string | null }[]>(
      'select status, attempts, text_body, last_error from outbox_messages where id = ?',
      [id],
    );
  return r;
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('mail outbox', () => {
  it('sends nothing for a rolled-back transaction and delivers a committed one once, then blanks it', async () => {
    const em = db.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        queueMail(tx, 'test', { to: 'rolled-back@example.com', subject: 'No', text: 'no' });
        await tx.flush();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const { id, to } = await queue(undefined, 'secret link http://x/?token=abc');
    worker().start();

    const mail = await smtp.waitFor((m) => m.to.includes(to));
    expect(mail.text).toContain('token=abc');
    expect(mail.raw).toMatch(new RegExp(`^Message-ID: <${messageIdOf(id)}>`, 'mi'));
    const sent = await until(async () => ((await row(id))?.status === 'sent' ? row(id) : undefined));
    expect(sent).toMatchObject({ attempts: 1, text_body: '', last_error: null });
    expect(smtp.messages.filter((m) => m.to.includes('rolled-back@example.com'))).toEqual([]);
    expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('holds mail while SMTP is down and delivers it when the server returns', async () => {
    const port = await freePort();
    const { id, to } = await queue();
    worker({ url: `smtp://127.0.0.1:${port}` }).start();

    const failing = await until(async () => {
      const r = await row(id);
      return r && r.attempts >= 2 ? r : undefined;
    });
    expect(failing).toMatchObject({ status: 'pending' });
    expect(failing.last_error).toMatch(/ECONNREFUSED/);

    const back = await startTestSmtpServer({ port });
    try {
      await back.waitFor((m) => m.to.includes(to), 10_000);
      await until(async () => (await row(id))?.status === 'sent');
    } finally {
      await back.stop();
    }
  });

  it('resends with the same Message-ID after a worker dies between sending and marking', async () => {
    const { id, to } = await queue();
    const real = createSmtpTransport(smtp.url);
    transports.push(real);
    // Delivers, then never returns: a process frozen or killed right after the SMTP server's 250.
    const dying: MailTransport = {
      send: async (message) => {
        await real.send(message);
        await new Promise(() => {});
      },
      close: async () => {},
    };
    new OutboxWorker({ orm: db.orm, transport: dying, pollMs: 20, leaseMs: 300 }).start();
    await smtp.waitFor((m) => m.to.includes(to));
    expect((await row(id))?.status).toBe('pending');

    // The next process: it takes the message once the lease lapses.
    worker({ leaseMs: 300 }).start();
    await until(async () => (await row(id))?.status === 'sent');
    const copies = smtp.messages.filter((m) => m.to.includes(to));
    expect(copies).toHaveLength(2);
    const ids = copies.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]);
    expect(ids).toEqual([`<${messageIdOf(id)}>`, `<${messageIdOf(id)}>`]);
  });

  it('gives up at once on a permanent refusal, and after maxAttempts on a lasting failure', async () => {
    const refused = await queue('nobody@example.com');
    const w = worker();
    await w.drain();
    expect(await row(refused.id)).toMatchObject({ status: 'dead', attempts: 1, text_body: '' });
    expect((await row(refused.id))?.last_error).toMatch(/550|mailbox/i);

    const port = await freePort();
    const lasting = await queue();
    const down = worker({ url: `smtp://127.0.0.1:${port}`, maxAttempts: 3, backoffBaseMs: 10 });
    down.start();
    const dead = await until(async () => ((await row(lasting.id))?.status === 'dead' ? row(lasting.id) : undefined));
    expect(dead).toMatchObject({ attempts: 3, text_body: '' });
  });

  it('prunes finished messages older than keepDays, never pending ones', async () => {
    const em = db.orm.em.fork();
    const old = (days: number) => idAt('msg', Date.now() - days * 86_400_000 - Math.floor(Math.random() * 1000));
    const rows = [
      [old(40), 'sent'],
      [old(40), 'dead'],
      [old(40), 'pending'],
      [old(10), 'sent'],
    ] as const;
    for (const [id, status] of rows) {
      await em.execute(
        `insert into outbox_messages (id, kind, to_address, subject, text_body, status, next_attempt_at, created_at)
         values (?, 'test', 'old@example.com', 's', '', ?, now() + interval '1 day', now())`,
        [id, status],
      );
    }
    expect(await worker({ keepDays: 30 }).prune()).toBe(2);
    const left = await em.execute<{ id: string }[]>('select id from outbox_messages where id in (?, ?, ?, ?)', [
      ...rows.map(([id]) => id),
    ]);
    expect(left.map((r) => r.id).sort()).toEqual([rows[2][0], rows[3][0]].sort());
  });

  it('lets two workers share the outbox without sending anything twice', async () => {
    const queued = await Promise.all(Array.from({ length: 30 }, () => queue()));
    const a = worker();
    const b = worker();
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    for (const { to } of queued) await smtp.waitFor((m) => m.to.includes(to));
    for (const { to } of queued) expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });
});
