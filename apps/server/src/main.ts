import { bootstrapIfEmpty, createMailTransport, createRuntime, needsBootstrap, registerFromFile } from '@gatehouse/api';
import { DataDirError } from '@gatehouse/db';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, devMailAllowed, loadConfig } from './config.js';
import { defaultConsoleDir } from './console.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const db = await openDatabase({ ...config, log: (message) => logger.info(message) }).catch((error: Error) => {
  // A data directory refused is the operator's to fix: one line that names it, no stack.
  if (error instanceof DataDirError) console.error(error.message);
  else logger.fatal({ err: error }, `cannot open the database: ${error.message}`);
  process.exit(1);
});

if (config.permissionsFile) {
  // Before the runtime, which reads the catalogue once at start. A malformed file is the operator's to fix: one line.
  const count = await registerFromFile(db.orm, config.permissionsFile).catch(async (error: Error) => {
    console.error(error.message);
    await db.close();
    process.exit(1);
  });
  logger.info({ count, file: config.permissionsFile }, 'registered the permissions of GATEHOUSE_PERMISSIONS_FILE');
}

if (config.bootstrap) {
  const result = await bootstrapIfEmpty(db.orm.em.fork(), config.bootstrap);
  if (result)
    logger.info({ userId: result.userId, organizationId: result.organizationId }, 'bootstrapped the platform admin');
}

if (!config.secret) {
  logger.warn(
    'GATEHOUSE_SECRET is unset: token signing keys and queued mail are encrypted under a secret kept in the database itself',
  );
}
if (db.embedded) {
  logger.warn(
    'webhook deliveries are disabled on the embedded database (its job queue sends mail only): events are still written and listed by events.list; set DATABASE_URL to deliver them',
  );
}
const mail = createMailTransport({ smtpUrl: config.smtpUrl, from: config.smtpFrom, log: (line) => logger.warn(line) });
const runtime = await createRuntime({
  orm: db.orm,
  // Other processes share a PostgreSQL; the embedded database has this process alone.
  listenUrl: config.databaseUrl,
  embedded: db.embedded,
  publicUrl: config.publicUrl,
  appUrl: config.appUrl,
  secret: config.secret,
  signupOpen: config.signupOpen,
  throttle: config.throttle,
  budgets: config.budgets,
  allowLoopbackUrls: config.allowLoopbackUrls,
  dnsServers: config.dnsServers,
  allowedRedirectOrigins: config.allowedRedirectOrigins,
  mail,
  // The job queue (graphile-worker) lives in the server's database, the embedded one included; its schema
  // is migrated with ours. It sends mail, and deliveries through the runtime's guarded fetcher (runtime.ts).
  log: (message, error) => logger.error({ err: error }, message),
});
// Without SMTP, development mail is readable at /dev/mail, on loopback only.
const devMail = 'recent' in mail && devMailAllowed(config) ? () => mail.recent() : undefined;
const app = createApp({
  runtime,
  logger,
  trustProxy: config.trustProxy,
  corsOrigins: config.corsOrigins,
  bodyLimit: config.bodyLimit,
  production: config.production,
  devMail,
  metricsToken: config.metricsToken,
  consoleDir: defaultConsoleDir(),
});
const bootstrapHint = await needsBootstrap(db.orm.em.fork());
const hostInUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info(
    { port: info.port, host: config.host, database: db.description },
    `Gatehouse listening on http://${hostInUrl}:${info.port}`,
  );
  // For the person who typed the command; on stderr, so stdout stays JSON lines for log collectors.
  const url = `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : hostInUrl}:${info.port}`;
  const banner = [
    `Gatehouse is running on ${url} (database: ${db.description})`,
    `  Console:        ${url}/console`,
    `  API reference:  ${url}/docs`,
    devMail && `  Mail viewer:    ${url}/dev/mail (no SMTP_URL: mail is shown here, not sent)`,
    bootstrapHint &&
      '  No platform admin yet. Create one, their organization and an owner API key with:\n' +
        '    corepack pnpm gatehouse bootstrap --email you@example.com --org "Your organization"',
  ];
  console.error(banner.filter(Boolean).join('\n'));
});
// A port held by another process is the common start-up failure: one line, not a stack trace.
server.once('error', async (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${config.port} is already in use on ${config.host}: stop what holds it, or set PORT to another port.`
      : `Cannot listen on ${config.host}:${config.port}: ${error.message}`,
  );
  await runtime.stop();
  await db.close();
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Give in-flight requests time to finish, but never hang forever.
  const force = setTimeout(() => {
    logger.error('shutdown timed out');
    process.exit(1);
  }, 10_000);
  force.unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.stop();
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
