// Child process of webhooks/http.ts: a server process's webhook side, as apps/server/src/main.ts builds
// it: a runtime on DATABASE_URL whose graphile-worker runner sends deliveries through the runtime's own
// guarded fetcher (GATEHOUSE_ALLOW_LOOPBACK_URLS: the receiver is on 127.0.0.1). Prints `listening 0`
// once its runner has started (it serves no HTTP); on SIGTERM (or the parent going away) stops cleanly.
import { createLogTransport, createRuntime } from '@gatehouse/api';
import { openOrm } from '@gatehouse/db';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('deliverer: DATABASE_URL is required');
const orm = await openOrm({ url, poolMax: Number(process.env.ORM_POOL ?? 4) });
const runtime = await createRuntime({
  orm,
  mail: createLogTransport(() => {}),
  publicUrl: 'http://127.0.0.1',
  allowLoopbackUrls: true,
  queue: {
    url,
    concurrency: Number(process.env.CONCURRENCY ?? 8),
    pollMs: 100,
    ...(process.env.FETCH_BATCH ? { fetchBatch: Number(process.env.FETCH_BATCH) } : {}),
    ...(process.env.COMPLETE_BATCH_MS ? { completeBatchMs: Number(process.env.COMPLETE_BATCH_MS) } : {}),
  },
  log: (message, error) => console.error(message, error ?? ''),
});
process.stdout.write('listening 0\n');
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await runtime.stop();
  await orm.close(true);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
