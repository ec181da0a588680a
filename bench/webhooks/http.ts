// Webhook deliveries over real HTTP: two server processes (children, each with its graphile-worker runner
// and the runtime's guarded sender) deliver to a loopback receiver in this process.
// (a) single changes one at a time: p50/p99 from the commit of the change to the receiver reading the
//     request (one clock: the writer and the receiver are both here);
// (b) a backlog written first, held back by its jobs' run_at, then released at once: deliveries/s until
//     the last one is received.
// Checked: every event is received (none lost), with its distinct webhook-id; repeats are counted (at
// least once allows them; none are expected without a crash).
//
//   cd bench && corepack pnpm exec tsx webhooks/http.ts
//
// Env: SINGLES (200), BACKLOG (2000), CONCURRENCY (8 per process), DATABASE_URL (else a fresh test database).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogTransport, createRuntime } from '@gatehouse/api';
import { callerAs, ownerWithKey } from '@gatehouse/api/testing';
import { startChild } from '../lib/children.js';
import { intEnv, onCleanup, openDatabase, runBench } from '../lib/harness.js';
import { reportRow } from '../lib/results.js';
import { round2, stats } from '../lib/stats.js';

const singles = intEnv('SINGLES', 200);
const backlog = intEnv('BACKLOG', 2000);
const concurrency = intEnv('CONCURRENCY', 8);

await runBench(async () => {
  const db = await openDatabase(10);
  const received = new Map<string, number>();
  let repeats = 0;
  // Connections the deliverers opened: kept alive, far fewer than deliveries.
  let connections = 0;
  const listeners = new Set<() => void>();
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'] as string;
      if (received.has(id)) repeats++;
      else received.set(id, performance.now());
      res.writeHead(204).end();
      for (const listener of listeners) listener();
    });
  });
  receiver.on('connection', () => connections++);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => receiver.close(() => resolve())));
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

  // Writes changes and queues their deliveries; runs no runner of its own.
  const writer = await createRuntime({
    orm: db.orm,
    publicUrl: 'http://gatehouse.bench',
    mail: createLogTransport(() => {}),
    // No runner (run: false): every job insert would wake it too, for nothing.
    queue: { url: db.url, sender: undefined, run: false },
    log: (message, error) => console.error(message, error ?? ''),
  });
  onCleanup(() => writer.stop());
  const owner = await ownerWithKey(db.orm, 'Webhook HTTP bench');
  const gh = callerAs(writer, owner.key);
  const webhook = await gh.webhooks.create({
    organizationId: owner.organizationId,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    events: ['api_key.created'],
  });
  const em = () => db.orm.em.fork();
  let n = 0;
  /** One change (a new API key): its event's id, once committed. */
  const change = async () => {
    const key = await gh.auth.createKey({ name: `bench ${++n}` });
    const [row] = await em().execute<{ id: string }[]>(
      `select id from events where organization_id = ? and type = 'api_key.created' and data->>'apiKeyId' = ?`,
      [owner.organizationId, key.id],
    );
    return row?.id as string;
  };

  // (b)'s backlog first, held back an hour in the database, so that no process starts it early.
  for (let i = 0; i < backlog; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, backlog - i) }, change));
  }
  await em().execute(`update graphile_worker._private_jobs set run_at = now() + interval '1 hour'`);

  const env: Record<string, string> = { DATABASE_URL: db.url, CONCURRENCY: String(concurrency) };
  for (const name of ['FETCH_BATCH', 'COMPLETE_BATCH_MS', 'ORM_POOL']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  // PROFILE=1: each deliverer writes a CPU profile to bench/out (not kept in git) when it stops.
  const flags = process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir=out'] : [];
  await Promise.all([
    startChild('deliverer 1', 'webhooks/deliverer.ts', env, flags),
    startChild('deliverer 2', 'webhooks/deliverer.ts', env, flags),
  ]);

  // (a) one change at a time, both processes delivering.
  const latencies = new Float64Array(singles);
  for (let i = 0; i < singles; i++) {
    const committedAt = performance.now();
    const id = await change();
    await until(() => received.has(id));
    latencies[i] = (received.get(id) as number) - committedAt;
  }
  const a = stats(latencies);
  console.log(
    `(a) commit → delivery over HTTP, ${singles} single changes, 2 processes: p50 ${round2(a.p50)} ms, p99 ${round2(a.p99)} ms`,
  );

  // (b) the backlog released.
  const before = received.size;
  const released = performance.now();
  await em().execute(`update graphile_worker._private_jobs set run_at = now() where run_at > now()`);
  await until(() => received.size >= before + backlog);
  const seconds = (performance.now() - released) / 1000;
  console.log(
    `(b) ${backlog} queued deliveries over HTTP, 2 processes × ${concurrency}: ${round2(backlog / seconds)} deliveries/s`,
  );

  // The answers: every event of the endpoint received once, by its own id; all recorded as delivered.
  const events = await em().execute<{ id: string }[]>(
    `select id from events where organization_id = ? and type = 'api_key.created'`,
    [owner.organizationId],
  );
  const lost = events.filter((e) => !received.has(e.id));
  // The receiver answers before the outcome is written: give the last few up to 5 s to be recorded.
  const recorded = () =>
    em().execute<{ succeeded: string; other: string }[]>(
      `select count(*) filter (where status = 'succeeded') as succeeded, count(*) filter (where status <> 'succeeded') as other
         from webhook_deliveries where webhook_id = ?`,
      [webhook.id],
    );
  let [counts] = await recorded();
  for (let waited = 0; Number(counts?.other) > 0 && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    [counts] = await recorded();
  }
  console.log(
    `check: ${events.length} events, ${received.size} distinct webhook-ids received, ${lost.length} lost, ${repeats} repeats, ` +
      `over ${connections} connections; ` +
      `deliveries recorded succeeded ${counts?.succeeded}, other ${counts?.other}`,
  );
  if (lost.length > 0 || received.size !== events.length) throw new Error('webhook HTTP bench: deliveries lost');
  reportRow({
    case: `webhook deliveries over HTTP (2 processes × ${concurrency})`,
    'req/s': round2(backlog / seconds),
    'p50 ms': round2(a.p50),
    'p99 ms': round2(a.p99),
    checked: `${received.size}/${events.length} ids, ${lost.length} lost, ${repeats} repeats, ${connections} connections`,
  });
});
