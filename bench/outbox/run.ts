// How fast the mail outbox delivers over real SMTP (an in-process test server on loopback):
// (a) latency, commit to the SMTP server's receipt, for mail queued one at a time with wake() after
// the commit, as invitations and resets do; (b) throughput draining a backlog with one worker and
// with two (two server processes sharing the outbox).
//
//   cd bench && PATH=/work/main/node_modules/.bin:$PATH tsx outbox/run.ts
//
// Env: SINGLES (200) mails for (a), BACKLOG (2000) mails for (b), DATABASE_URL (else a fresh test database).
import { createLogTransport, createSmtpTransport, OutboxWorker } from '@gatehouse/api';
import { startTestSmtpServer } from '@gatehouse/api/testing';
import { intEnv, onCleanup, openDatabase, runBench } from '../lib/harness.js';
import { round2, stats } from '../lib/stats.js';

const singles = intEnv('SINGLES', 200);
const backlog = intEnv('BACKLOG', 2000);

await runBench(async () => {
  const db = await openDatabase(10);
  const smtp = await startTestSmtpServer();
  onCleanup(() => smtp.stop());
  const secret = 'the outbox benchmark secret, 32 characters or more';
  // Seals what it queues; the workers below open it (never started itself).
  const mail = new OutboxWorker({ orm: db.orm, transport: createLogTransport(() => {}), secret });
  const start = (n: number) =>
    Array.from({ length: n }, () => {
      const transport = createSmtpTransport(smtp.url);
      const worker = new OutboxWorker({ orm: db.orm, transport, pollMs: 1_000, secret });
      onCleanup(async () => {
        await worker.stop();
        await transport.close();
      });
      worker.start();
      return worker;
    });
  const queue = (to: string) =>
    db.orm.em.fork().transactional(async (tx) => {
      mail.queue(tx, 'bench', { to, subject: 'Bench', text: `hello ${to}` });
    });

  // (a) one worker, one mail at a time
  const [worker] = start(1);
  const latencies = new Float64Array(singles);
  for (let i = 0; i < singles; i++) {
    const to = `single${i}@example.com`;
    const sent = performance.now();
    await queue(to);
    worker?.wake();
    await smtp.waitFor((m) => m.to.includes(to), 10_000);
    latencies[i] = performance.now() - sent;
  }
  await worker?.stop();
  const a = stats(latencies);
  console.log(
    `(a) commit → received, ${singles} single mails: p50 ${round2(a.p50)} ms, p99 ${round2(a.p99)} ms, mean ${round2(a.mean)} ms`,
  );

  // (b) a backlog, drained by one then two workers
  for (const workers of [1, 2]) {
    const tag = `backlog${workers}-`;
    await db.orm.em.fork().transactional(async (tx) => {
      for (let i = 0; i < backlog; i++)
        mail.queue(tx, 'bench', { to: `${tag}${i}@example.com`, subject: 'B', text: 'b' });
    });
    const began = performance.now();
    const running = start(workers);
    const last = `${tag}${backlog - 1}@example.com`;
    const received = () => smtp.messages.filter((m) => m.to[0]?.startsWith(tag)).length;
    while (received() < backlog) {
      await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - began > 300_000) throw new Error(`only ${received()} of ${backlog} arrived`);
    }
    const seconds = (performance.now() - began) / 1000;
    await Promise.all(running.map((w) => w.stop()));
    const copies = smtp.messages.filter((m) => m.to[0] === last).length;
    console.log(
      `(b) ${backlog} queued mails, ${workers} worker(s): ${Math.round(backlog / seconds)} mails/s (${round2(seconds)} s), ${received()} received, last one ${copies}×`,
    );
  }
}, 'stopping workers and SMTP, dropping the database');
