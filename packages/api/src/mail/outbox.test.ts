import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { idAt } from '@gatehouse/db';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { Logger, type Runner, run, runOnce } from 'graphile-worker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_TASK, mailSecrets, pendingMail, writeMail } from '../infra/mail.js';
import { startTestSmtpServer, type TestSmtpServer } from '../testing/smtp.js';
import { type MailTaskOptions, mailTask, messageIdOf, pruneOutbox } from './outbox.js';
import { createSmtpTransport, type MailTransport } from './transport.js';

// No runtime here: its own runner would compete for the messages these tests watch. Each test runs the
// mail task on graphile-worker itself: a runner (as a server process does) or one pass (runOnce).
let db: TestDatabase;
let smtp: TestSmtpServer;
const SECRET = 'a deployment secret of at least 32 characters';
const runners: Runner[] = [];
const transports: MailTransport[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtpServer({ refuse: (address) => address.startsWith('nobody@') });
});

// Each test stops its own runners: one left running would take the next test's messages.
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await smtp?.stop();
  await db?.drop();
});

type TaskOptions = Partial<Omit<MailTaskOptions, 'orm'>> & { url?: string };

function task(options: TaskOptions = {}) {
  const transport = options.transport ?? createSmtpTransport(options.url ?? smtp.url);
  transports.push(transport);
  return mailTask({ orm: db.orm, backoffBaseMs: 50, secret: SECRET, ...options, transport });
}

const quiet = { noHandleSignals: true, logger: new Logger(() => () => {}) };

/** A runner taking mail jobs as they come, as every server process runs one. */
async function start(options: TaskOptions = {}, extra: { resetLockedMs?: number } = {}) {
  const runner = await run({
    ...quiet,
    connectionString: db.url,
    concurrency: 2,
    pollInterval: 20,
    taskList: { [MAIL_TASK]: task(options) },
    ...(extra.resetLockedMs
      ? { minResetLockedInterval: extra.resetLockedMs, maxResetLockedInterval: extra.resetLockedMs }
      : {}),
  });
  runners.push(runner);
  return runner;
}

/** Runs every mail job due now, once, in this test; resolves with how many ran. */
async function drain(options: TaskOptions = {}) {
  const mail = task(options);
  let ran = 0;
  await runOnce({
    ...quiet,
    connectionString: db.url,
    taskList: {
      [MAIL_TASK]: (payload, helpers) => {
        ran++;
        return mail(payload, helpers);
      },
    },
  });
  return ran;
}

let n = 0;
async function queue(to = `user${++n}@example.com`, text = `hello ${n}`) {
  const mail = pendingMail('test', { to, subject: `Subject ${n}`, text });
  await db.orm.em.fork().transactional((tx) => writeMail(tx, mailSecrets(SECRET), [mail]));
  return { id: mail.id, to };
}

async function row(id: string) {
  const [r] = await db.orm.em
    .fork()
    .execute<{ status: string; attempts: number; payload: string | null; last_error: string | null }[]>(
      'select status, attempts, payload, last_error from outbox_messages where id = ?',
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
  it('sends nothing for a rolled-back transaction and delivers a committed one once, then drops it', async () => {
    const em = db.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await writeMail(tx, mailSecrets(SECRET), [
          pendingMail('test', { to: 'rolled-back@example.com', subject: 'No', text: 'no' }),
        ]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // Neither the row nor its job.
    const [left] = await em.execute<{ n: number }[]>(
      `select ((select count(*) from outbox_messages where to_address = 'rolled-back@example.com')
            + (select count(*) from graphile_worker._private_jobs))::int as n`,
    );
    expect(left?.n).toBe(0);
    const { id, to } = await queue(undefined, 'secret link http://x/?token=abc');
    // Stored sealed: nothing of the subject or the link is readable in the row.
    const [stored] = await em.execute<{ row: string }[]>('select t::text as row from outbox_messages t where id = ?', [
      id,
    ]);
    expect(stored?.row).toContain(to);
    expect(stored?.row).not.toMatch(/token|Subject|secret link/);
    // Its job names the row, nothing more.
    const [job] = await em.execute<{ payload: unknown }[]>(
      `select payload from graphile_worker._private_jobs where key = ?`,
      [id],
    );
    expect(job?.payload).toEqual({ messageId: id });
    await start();

    const received = await smtp.waitFor((m) => m.to.includes(to));
    expect(received.text).toContain('token=abc');
    expect(received.subject).toBe(`Subject ${n}`);
    expect(received.raw).toMatch(new RegExp(`^Message-ID: <${messageIdOf(id)}>`, 'mi'));
    const sent = await until(async () => ((await row(id))?.status === 'sent' ? row(id) : undefined));
    expect(sent).toMatchObject({ attempts: 1, payload: null, last_error: null });
    expect(smtp.messages.filter((m) => m.to.includes('rolled-back@example.com'))).toEqual([]);
    expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('logs why an attempt failed and when it is tried next, or that it is dead', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const down = { url: `smtp://127.0.0.1:${port}`, maxAttempts: 2, backoffBaseMs: 60_000, log };
    const { id } = await queue();
    const before = Date.now();
    expect(await drain(down)).toBe(1);
    expect(lines).toHaveLength(1);
    const first = new RegExp(
      `^mail outbox: test ${id} attempt 1 of 2 failed: \\w+: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}; retry at (\\S+)$`,
    ).exec(lines[0] as string);
    expect(first, lines[0]).not.toBeNull();
    const retryAt = Date.parse(first?.[1] as string);
    expect(retryAt - before).toBeGreaterThanOrEqual(60_000);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(60_000);

    // The retry is a job of its own, due then; made due now (backdated, not waited for): the last try,
    // and the end of it said so.
    const [retry] = await db.orm.em
      .fork()
      .execute<{ run_at: Date }[]>(`select run_at from graphile_worker.jobs where key = ?`, [id]);
    expect(Math.abs(new Date(retry?.run_at as Date).getTime() - retryAt)).toBeLessThan(1_000);
    await db.orm.em.fork().execute('update graphile_worker._private_jobs set run_at = now() where key = ?', [id]);
    expect(await drain(down)).toBe(1);
    expect(lines[1]).toMatch(
      new RegExp(
        `^mail outbox: test ${id} attempt 2 of 2 failed: \\w+: .*ECONNREFUSED.*; dead \\(that was the last try\\)$`,
      ),
    );
    expect(await row(id)).toMatchObject({ status: 'dead', payload: null });

    const refused = await queue('nobody@example.com');
    await drain({ log });
    expect(lines[2]).toMatch(
      new RegExp(
        `^mail outbox: test ${refused.id} attempt 1 of 8 failed: \\w+: .*550 No such mailbox; dead \\(a permanent refusal is not retried\\)$`,
      ),
    );
  });

  it('gives a message that does not decrypt up at once, saying why: a changed secret, or a redirected row', async () => {
    const lines: string[] = [];
    const rotated = { secret: 'another deployment secret, 32 characters or more', log: (l: string) => lines.push(l) };
    const { id, to } = await queue();
    expect(await drain(rotated)).toBe(1);
    expect(await row(id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      payload: null,
      last_error: 'the message does not decrypt: was GATEHOUSE_SECRET changed?',
    });
    expect(lines).toEqual([
      `mail outbox: test ${id} attempt 1 of 8 failed: the message does not decrypt: was GATEHOUSE_SECRET changed?; dead (no retry can open it)`,
    ]);

    // The payload is bound to its recipient: whoever can write the table cannot send its link elsewhere.
    const redirected = await queue();
    await db.orm.em
      .fork()
      .execute(`update outbox_messages set to_address = 'attacker@example.com' where id = ?`, [redirected.id]);
    expect(await drain()).toBe(1);
    expect(await row(redirected.id)).toMatchObject({ status: 'dead', payload: null });
    expect(smtp.messages.filter((m) => m.to.includes('attacker@example.com') || m.to.includes(to))).toEqual([]);
  });

  it('holds mail while SMTP is down and delivers it when the server returns', async () => {
    const port = await freePort();
    const { id, to } = await queue();
    await start({ url: `smtp://127.0.0.1:${port}` });

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
    void drain({ transport: dying });
    await smtp.waitFor((m) => m.to.includes(to));
    expect((await row(id))?.status).toBe('pending');

    // Its job stays locked until the lock timeout (graphile-worker's own 4 hours for this bare runner; a
    // server's queue frees it after 10 minutes, queue/worker.ts), moved by backdating the lock; then the
    // next process takes it.
    await db.orm.em
      .fork()
      .execute(
        `update graphile_worker._private_jobs set locked_at = locked_at - interval '4 hours 1 minute' where key = ?`,
        [id],
      );
    await start({}, { resetLockedMs: 50 });
    await until(async () => (await row(id))?.status === 'sent');
    const copies = smtp.messages.filter((m) => m.to.includes(to));
    expect(copies).toHaveLength(2);
    const ids = copies.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]);
    expect(ids).toEqual([`<${messageIdOf(id)}>`, `<${messageIdOf(id)}>`]);
  });

  it('gives up at once on a permanent refusal, and after maxAttempts on a lasting failure', async () => {
    const refused = await queue('nobody@example.com');
    await drain();
    expect(await row(refused.id)).toMatchObject({ status: 'dead', attempts: 1, payload: null });
    expect((await row(refused.id))?.last_error).toMatch(/550|mailbox/i);

    const port = await freePort();
    const lasting = await queue();
    await start({ url: `smtp://127.0.0.1:${port}`, maxAttempts: 3, backoffBaseMs: 10 });
    const dead = await until(async () => ((await row(lasting.id))?.status === 'dead' ? row(lasting.id) : undefined));
    expect(dead).toMatchObject({ attempts: 3, payload: null });
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
        `insert into outbox_messages (id, kind, to_address, status, created_at)
         values (?, 'test', 'old@example.com', ?, now())`,
        [id, status],
      );
    }
    expect(await pruneOutbox(em, 30)).toBe(2);
    const left = await em.execute<{ id: string }[]>('select id from outbox_messages where id in (?, ?, ?, ?)', [
      ...rows.map(([id]) => id),
    ]);
    expect(left.map((r) => r.id).sort()).toEqual([rows[2][0], rows[3][0]].sort());
  });

  it('lets two processes share the outbox without sending anything twice', async () => {
    const queued = await Promise.all(Array.from({ length: 30 }, () => queue()));
    await Promise.all([drain(), drain(), drain(), drain()]);
    for (const { to } of queued) await smtp.waitFor((m) => m.to.includes(to));
    for (const { to } of queued) expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });
});
