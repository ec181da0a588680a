// How fast mail goes out over real SMTP (an in-process test server on loopback), along the path a
// request takes: organizations.invite commits the invitation with its outbox row (and, since mail moved
// onto the job queue, its graphile-worker job), and a runtime sends it after the commit.
// (a) latency, from the invite's return (just after its commit) to the SMTP server's receipt, for
//     invitations asked for one at a time;
// (b) the same for a burst of invitations asked for all at once, with one runtime;
// (c) the same burst shared by two runtimes (two server processes' senders, here in one process).
// Only @gatehouse/api's public entries are used, so the same file measures the code before and after a change.
//
//   corepack pnpm --filter @gatehouse/bench outbox
//
// Env: SINGLES (200) invitations for (a), BURST (200) for (b) and (c), DATABASE_URL (else a fresh test database).
import { createRuntime, createSmtpTransport, type OwnedRuntime } from '@gatehouse/api';
import { bearer, callerFor, ownerWithKey, startTestSmtpServer } from '@gatehouse/api/testing';
import { intEnv, onCleanup, openDatabase, runBench } from '../lib/harness.js';
import { round2, stats } from '../lib/stats.js';

const singles = intEnv('SINGLES', 200);
const burst = intEnv('BURST', 200);

await runBench(async () => {
  const db = await openDatabase(10);
  const smtp = await startTestSmtpServer();
  onCleanup(() => smtp.stop());
  const runtime = async () => {
    const r: OwnedRuntime = await createRuntime({
      orm: db.orm,
      listenUrl: db.url,
      publicUrl: 'http://gatehouse.bench',
      secret: 'the outbox benchmark secret, 32 characters or more',
      mail: createSmtpTransport(smtp.url),
      // The budget of invitation mail an organization may send in an hour is not what is measured.
      budgets: { invitesPerHour: 1_000_000 },
      queue: { url: db.url, sender: undefined },
      log: (message, error) => console.error(message, error ?? ''),
    });
    onCleanup(() => r.stop());
    return r;
  };
  const first = await runtime();
  const owner = await ownerWithKey(db.orm, 'Outbox bench');
  const gh = callerFor(first, bearer(owner.key));
  /** Invites `to`, then resolves with the milliseconds from the invite's return to the mail's receipt. */
  const invite = async (to: string) => {
    await gh.organizations.invite({ organizationId: owner.organizationId, email: to });
    const committed = performance.now();
    await smtp.waitFor((m) => m.to.includes(to), 60_000);
    return performance.now() - committed;
  };
  const report = (label: string, samples: number[], seconds?: number) => {
    const s = stats(Float64Array.from(samples));
    const rate = seconds ? `, ${Math.round(samples.length / seconds)} mails/s (${round2(seconds)} s)` : '';
    console.log(`${label}: p50 ${round2(s.p50)} ms, p99 ${round2(s.p99)} ms, mean ${round2(s.mean)} ms${rate}`);
  };

  const one: number[] = [];
  for (let i = 0; i < singles; i++) one.push(await invite(`single${i}@example.com`));
  report(`(a) commit → received, ${singles} invitations one at a time`, one);

  const together = async (tag: string) => {
    const began = performance.now();
    const samples = await Promise.all(Array.from({ length: burst }, (_, i) => invite(`${tag}${i}@example.com`)));
    return { samples, seconds: (performance.now() - began) / 1000 };
  };
  const b = await together('burst1-');
  report(`(b) commit → received, ${burst} invitations at once, 1 runtime`, b.samples, b.seconds);
  await runtime();
  const c = await together('burst2-');
  report(`(c) commit → received, ${burst} invitations at once, 2 runtimes`, c.samples, c.seconds);
  const copies = smtp.messages.length - singles - 2 * burst;
  console.log(`${smtp.messages.length} received, ${copies} more than asked for`);
}, 'stopping runtimes and SMTP, dropping the database');
