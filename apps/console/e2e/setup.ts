// Once per run: a fresh database, a real SMTP server whose messages go to a file the tests read, and
// the server built as `corepack pnpm start` runs it (compiled JavaScript, the console's dist/).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { password, platformAdminEmail } from './helpers.ts';

const root = resolve(import.meta.dirname, '../../..');
const admin = process.env.E2E_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function startSmtp(file: string): Promise<{ url: string; server: SMTPServer }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // The decoded body: quoted-printable soft breaks and escapes undone, enough to find links.
        const raw = Buffer.concat(chunks).toString('utf8');
        const text = raw
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        appendFileSync(file, `${JSON.stringify({ to, text })}\n`);
        callback();
      });
    },
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`, server }),
    ),
  );
}

function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  execFileSync(process.execPath, [join(root, 'apps/server/scripts/build.ts')], { stdio: 'inherit' });
  const child = spawn(
    process.execPath,
    ['--conditions=gatehouse-compiled', join(root, 'apps/server/dist/src/main.js')],
    { cwd: root, env },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not listen within 60 s:\n${output}`)), 60_000);
    // The banner for people, on stderr, comes once the server listens (the JSON log is at warn).
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (process.env.E2E_SERVER_LOG) process.stderr.write(chunk);
      if (output.includes('Gatehouse is running on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (process.env.E2E_SERVER_LOG) process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
}

export default async function setup() {
  const database = `gatehouse_e2e_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${database}`);
  await client.query(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(admin);
  databaseUrl.pathname = `/${database}`;

  const mailFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-e2e-')), 'mail.jsonl');
  appendFileSync(mailFile, '');
  const smtp = await startSmtp(mailFile);
  const port = await freePort();
  // localhost, not 127.0.0.1: the public URL's host is the passkeys' relying party ID, and browsers refuse an
  // IP address as one (the server still listens on 127.0.0.1 only).
  const base = `http://localhost:${port}`;
  const server = await startServer({
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl.href,
    SMTP_URL: smtp.url,
    GATEHOUSE_PUBLIC_URL: base,
    GATEHOUSE_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
    // The webhook tests' receiver listens on this machine's loopback, which the guarded fetcher refuses otherwise.
    GATEHOUSE_ALLOW_LOOPBACK_URLS: 'true',
    // The deployment's platform admin, for the platform page's tests (the bootstrap a new deployment runs).
    GATEHOUSE_BOOTSTRAP_EMAIL: platformAdminEmail,
    GATEHOUSE_BOOTSTRAP_PASSWORD: password,
    GATEHOUSE_BOOTSTRAP_ORG: 'Platform Operators',
    LOG_LEVEL: 'warn',
    // As behind a proxy on loopback: the tests' scene calls say which client they stand for (helpers.ts).
    GATEHOUSE_TRUST_PROXY: '127.0.0.1',
  });
  process.env.E2E_BASE_URL = base;
  process.env.E2E_MAIL_FILE = mailFile;
  process.env.E2E_DATABASE_URL = databaseUrl.href;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await new Promise((r) => smtp.server.close(() => r(undefined)));
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  };
}
