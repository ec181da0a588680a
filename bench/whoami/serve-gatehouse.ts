// Child process of run.ts: the real Gatehouse HTTP app on 127.0.0.1, on a port of its own, built
// the way apps/server/src/main.ts builds it (runtime with its principal cache, then createApp).
// Counts the queries it sends (asked over IPC). Reads DATABASE_URL (and PRINCIPAL_TTL_MS: 0 turns the principal cache off; TOKEN_REQUEST_LIMIT); prints
// `listening <port>` on stdout once it accepts connections.
import { createRequire } from 'node:module';
import { createMailTransport, createRuntime } from '@gatehouse/api';
import { openOrm } from '@gatehouse/db';
import { createApp } from '@gatehouse/server/app';
import { serveUntilStopped } from './child.js';

type Logger = Parameters<typeof createApp>[0]['logger'];

// pino is a dependency of the server, not of the bench: load the server's own copy.
const requireFromServer = createRequire(import.meta.resolve('@gatehouse/server/app'));
const pino = requireFromServer('pino') as {
  (options: { level: string }, destination: unknown): Logger;
  destination(fd: number): unknown;
};

const url = process.env.DATABASE_URL;
if (!url) throw new Error('serve-gatehouse: DATABASE_URL is required');
const ttl = process.env.PRINCIPAL_TTL_MS;
// The tokens benchmark asks for tokens far faster than any client should.
const tokenLimit = process.env.TOKEN_REQUEST_LIMIT;

// Request logs off (level 'error' skips them as cheaply as 'silent'); an unhandled error still
// reaches stderr, which run.ts forwards, so a 500 during the check says why.
const logger = pino({ level: 'error' }, pino.destination(2));
const orm = await openOrm({ url });
const runtime = await createRuntime({
  orm,
  mail: createMailTransport({ log: (line) => logger.warn(line) }),
  publicUrl: 'http://127.0.0.1',
  listenUrl: url, // a shared PostgreSQL, as in production: invalidations arrive by LISTEN
  ...(ttl ? { principalTtlMs: Number(ttl) } : {}),
  ...(tokenLimit ? { tokenRequestLimits: { perClient: Number(tokenLimit), perAddress: Number(tokenLimit) } } : {}),
  log: (message, error) => logger.error({ err: error }, message),
});
// Round trips, answered over IPC ('query-count', see lib/children.ts): every statement any entity
// manager sends goes through the one connection object, so run.ts counts a case's queries per call.
const connection = orm.em.getConnection() as unknown as { execute: (...args: unknown[]) => unknown };
const execute = connection.execute.bind(connection);
let queries = 0;
connection.execute = (...args: unknown[]) => {
  queries++;
  return execute(...args);
};
process.on('message', (message) => {
  if (message === 'query-count') process.send?.({ queries });
});
const app = createApp({ runtime, logger });
serveUntilStopped(app.fetch, async () => {
  await runtime.stop();
  await orm.close(true);
});
