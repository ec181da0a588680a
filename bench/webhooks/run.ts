// How fast the job queue hands webhook deliveries to the sender, and how long from the commit of the
// change to that hand-off: (a) single changes one at a time (p50/p99 commit → hand-off, one worker),
// (b) a backlog of queued deliveries drained by one worker and by two (two runtimes, each with its own
// graphile-worker runner and pool, as two server processes). The sender answers at once and sends
// nothing, so these are the queue's own numbers; webhooks/http.ts measures deliveries over real HTTP.
//
//   cd bench && tsx webhooks/run.ts
//
// Env: SINGLES (200) changes for (a), BACKLOG (2000) deliveries for (b), DATABASE_URL (else a fresh test database).
import { createLogTransport, createRuntime, type QueueOptions } from '@gatehouse/api';
import { callerAs, ownerWithKey } from '@gatehouse/api/testing';
import { intEnv, onCleanup, openDatabase, runBench } from '../lib/harness.js';
import { round2, stats } from '../lib/stats.js';

const singles = intEnv('SINGLES', 200);
const backlog = intEnv('BACKLOG', 2000);

await runBench(async () => {
  const db = await openDatabase(10);
  const handedOff = new Map<string, number>();
  const listeners = new Set<() => void>();
  const runtime = async (queue: QueueOptions) => {
    const r = await createRuntime({
      orm: db.orm,
      publicUrl: 'http://gatehouse.bench',
      mail: createLogTransport(() => {}),
      queue,
      log: (message, error) => console.error(message, error ?? ''),
    });
    onCleanup(() => r.stop());
    return r;
  };
  const worker = () =>
    runtime({
      url: db.url,
      pollMs: 1_000,
      concurrency: 8,
      sender: async (request) => {
        handedOff.set(request.headers['webhook-id'] as string, performance.now());
        for (const listener of listeners) listener();
        return { status: 204 };
      },
    });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });

  // Writes changes and queues their deliveries; runs no runner (run: false), so no job of the bench's is
  // taken by it.
  const writer = await runtime({ url: db.url, sender: undefined, run: false });
  const owner = await ownerWithKey(db.orm, 'Webhook bench');
  const gh = callerAs(writer, owner.key);
  await gh.webhooks.create({
    organizationId: owner.organizationId,
    url: 'https://receiver.bench/hook',
    events: ['api_key.created'],
  });
  let n = 0;
  /** One change (a new API key): its event's id, once committed. */
  const change = async () => {
    const key = await gh.auth.createKey({ name: `bench ${++n}` });
    const [row] = await db.orm.em
      .fork()
      .execute<{ id: string }[]>(
        `select id from events where organization_id = ? and type = 'api_key.created' and data->>'apiKeyId' = ?`,
        [owner.organizationId, key.id],
      );
    return row?.id as string;
  };

  // (a) one change at a time, one worker: commit → hand-off
  const one = await worker();
  const latencies = new Float64Array(singles);
  for (let i = 0; i < singles; i++) {
    const committedAt = performance.now();
    const id = await change();
    await until(() => handedOff.has(id));
    latencies[i] = (handedOff.get(id) as number) - committedAt;
  }
  await one.stop();
  const a = stats(latencies);
  console.log(`(a) commit → hand-off, ${singles} single changes: p50 ${round2(a.p50)} ms, p99 ${round2(a.p99)} ms`);

  // (b) a backlog written first (50 changes at a time), then drained
  for (const workers of [1, 2]) {
    const before = handedOff.size;
    for (let i = 0; i < backlog; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, backlog - i) }, change));
    }
    const began = performance.now();
    const started = await Promise.all(Array.from({ length: workers }, worker));
    await until(() => handedOff.size >= before + backlog);
    const seconds = (performance.now() - began) / 1000;
    await Promise.all(started.map((r) => r.stop()));
    console.log(
      `(b) ${backlog} queued deliveries drained by ${workers} worker(s): ${round2(backlog / seconds)} deliveries/s`,
    );
  }
});
