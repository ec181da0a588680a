// At least once across a crash: a delivering process is SIGKILLed after sending a delivery and before
// recording it. The job stays locked by the dead worker until the queue's lock timeout (10 minutes,
// queue/worker.ts; moved here by backdating `locked_at`), then another worker takes it and sends it again,
// with the same webhook-id for the receiver to drop the repeat.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { OwnedRuntime, WebhookRequest } from '@gatehouse/api';
import { callerAs, memberWithKey, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { root } from './processes.js';

let db: TestDatabase;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await db?.drop();
});

/** Starts the hanging deliverer; resolves with it and a promise of the first webhook-id it sends. */
async function deliverer(): Promise<{ child: ChildProcess; sent: Promise<string> }> {
  const script = join(root, 'apps/server/test/workers/hanging-deliverer.ts');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: db.url },
  });
  stops.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  let ready: () => void = () => {};
  let sent: (id: string) => void = () => {};
  const isReady = new Promise<void>((r) => {
    ready = r;
  });
  const first = new Promise<string>((r) => {
    sent = r;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk;
    if (output.includes('READY\n')) ready();
    const match = /SENT (\S+)\n/.exec(output);
    if (match) sent(match[1] as string);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  await Promise.race([
    isReady,
    new Promise((_, reject) => child.on('exit', (code) => reject(new Error(`deliverer exited ${code}: ${output}`)))),
  ]);
  return { child, sent: first };
}

it('sends a delivery again after the process sending it was SIGKILLed', async () => {
  // This runtime writes the events and queues; it runs no worker (no sender).
  const writer = await startTestRuntime(db);
  stops.push(() => writer.stop());
  const owner = await ownerWithKey(db.orm);
  const gh = callerAs(writer, owner.key);
  const webhook = await gh.webhooks.create({
    organizationId: owner.organizationId,
    url: 'https://receiver.example.com/crash',
    events: ['organization.member_role_changed'],
  });

  const { child, sent } = await deliverer();
  const member = await memberWithKey(db.orm, owner.organizationId, 'viewer');
  await gh.organizations.updateMemberRole({
    organizationId: owner.organizationId,
    userId: member.userId,
    role: 'member',
  });
  const firstId = await sent;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const em = () => db.orm.em.fork();
  // Sent, but nothing recorded: the delivery is pending and its job locked by the dead worker.
  const delivery = async () =>
    (
      await em().execute<{ status: string; attempts: number }[]>(
        'select status, attempts from webhook_deliveries where webhook_id = ?',
        [webhook.id],
      )
    )[0];
  expect(await delivery()).toEqual({ status: 'pending', attempts: 0 });
  const locked = await em().execute<{ n: string }[]>(
    'select count(*) as n from graphile_worker._private_jobs where locked_at is not null',
  );
  expect(Number(locked[0]?.n)).toBe(1);

  // Ten minutes on (not graphile-worker's own four hours): the lock has timed out, and the next worker to
  // start takes the job.
  await em().execute(`update graphile_worker._private_jobs set locked_at = locked_at - interval '10 minutes 1 second'`);
  const received: WebhookRequest[] = [];
  const second: OwnedRuntime = await startTestRuntime(db, {
    queue: {
      url: db.url,
      pollMs: 100,
      resetLockedMs: 200,
      sender: async (request) => {
        received.push(request);
        return { status: 200 };
      },
    },
  });
  stops.push(() => second.stop());
  await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 15_000 });
  expect(received[0]?.headers['webhook-id']).toBe(firstId);
  await vi.waitFor(async () => expect(await delivery()).toEqual({ status: 'succeeded', attempts: 1 }));
});
