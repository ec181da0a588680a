// `corepack pnpm start` as package.json has it: the build step, then the compiled JavaScript under
// plain Node (type stripping off, so no TypeScript file can load), its banner, and the one line a
// port already in use gets.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, root } from './processes.js';

const startScript: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
// The node package's bin directory first, as pnpm puts it: `node` in the script is Node 24.
const path = `${join(root, 'node_modules/.bin')}:${process.env.PATH}`;

let db: TestDatabase;
const children: ChildProcess[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {} // the group is gone already
  }
  await db?.drop();
});

interface Started {
  child: ChildProcess;
  /** Resolves once the process and its outputs are closed: sh's exit code, stdout and stderr. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves with stderr once the banner (one write) is out. */
  banner: Promise<string>;
}

/** Runs the start script with `env` in its own process group (sh, then node), as pnpm would. */
function start(env: Record<string, string>): Started {
  const child = spawn('sh', ['-c', startScript], {
    cwd: root,
    detached: true,
    env: { ...process.env, PATH: path, DATABASE_URL: db.url, GATEHOUSE_SECRET: 'x'.repeat(32), ...env },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  const banner = new Promise<string>((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (/Gatehouse is running[\s\S]*\n$/.test(stderr)) resolve(stderr);
    });
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited, banner };
}

/** SIGTERM to the group (as a terminal's Ctrl-C or pnpm would send); whether the server shut down cleanly. */
async function stop(started: Started) {
  if (started.child.pid) process.kill(-started.child.pid, 'SIGTERM');
  return (await started.exited).stdout.includes('"msg":"stopped"');
}

const withTimeout = <T>(promise: Promise<T>, what: string, ms = 60_000) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)),
  ]);

describe('corepack pnpm start', () => {
  it('serves the compiled server with a banner, and refuses a port in use in one line', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const server = start({ PORT: String(port) });
    const stderr = await withTimeout(Promise.race([server.banner, server.exited.then((e) => e.stderr)]), 'start');
    const url = `http://127.0.0.1:${port}`;
    // The build's own lines (when it compiled) come first; the banner ends the output.
    expect(stderr.trim().split('\n').slice(-6)).toEqual([
      `Gatehouse is running on ${url} (database: ${new URL(db.url).host})`,
      `  Console:        ${url}/console`,
      `  API reference:  ${url}/docs`,
      `  Mail viewer:    ${url}/dev/mail (no SMTP_URL: mail is shown here, not sent)`,
      '  No platform admin yet. Create one, their organization and an owner API key with:',
      '    corepack pnpm gatehouse bootstrap --email you@example.com --org "Your organization"',
    ]);
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    expect((await fetch(`${url}/dev/mail`)).status).toBe(200);
    // start built the console: the page and the script it names are served.
    const consolePage = await (await fetch(`${url}/console`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(consolePage)?.[1];
    expect((await fetch(`${url}${script}`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${url}/trpc/auth.whoami`)).status).toBe(401);

    // The compiled files are there and current: a second start compiles nothing.
    const second = start({ PORT: String(port) });
    const refused = await withTimeout(second.exited, 'second start');
    expect(refused).toMatchObject({
      code: 1,
      stderr: `Port ${port} is already in use on 127.0.0.1: stop what holds it, or set PORT to another port.\n`,
    });
    expect(await stop(server)).toBe(true);
  });

  it('shows no bootstrap command once a platform admin exists, and registers GATEHOUSE_PERMISSIONS_FILE', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const file = join(await mkdtemp(join(tmpdir(), 'gatehouse-start-')), 'permissions.json');
    writeFileSync(
      file,
      JSON.stringify([{ key: 'workflows:read', description: 'Read workflows', grantedTo: ['member'] }]),
    );
    const server = start({
      PORT: String(port),
      GATEHOUSE_PERMISSIONS_FILE: file,
      GATEHOUSE_BOOTSTRAP_EMAIL: 'admin@example.com',
      GATEHOUSE_BOOTSTRAP_PASSWORD: 'correct horse battery staple',
      GATEHOUSE_BOOTSTRAP_ORG: 'Admins',
    });
    const stderr = await withTimeout(Promise.race([server.banner, server.exited.then((e) => e.stderr)]), 'start');
    expect(stderr.trim().split('\n').at(-1)).toBe(
      `  Mail viewer:    http://127.0.0.1:${port}/dev/mail (no SMTP_URL: mail is shown here, not sent)`,
    );
    expect(stderr).not.toContain('gatehouse bootstrap');
    const rows = await db.orm.em
      .fork()
      .execute('select key, description, granted_to from registered_permissions order by key');
    expect(rows).toEqual([{ key: 'workflows:read', description: 'Read workflows', granted_to: ['member'] }]);
    expect(await stop(server)).toBe(true);
  });

  it('refuses to start on a malformed GATEHOUSE_PERMISSIONS_FILE, in one line naming the entry', {
    timeout: 120_000,
  }, async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'gatehouse-start-')), 'permissions.json');
    writeFileSync(file, JSON.stringify([{ key: 'reports:read' }, { key: 'Reports:Write' }]));
    const server = start({ PORT: String(await freePort()), GATEHOUSE_PERMISSIONS_FILE: file });
    const exited = await withTimeout(server.exited, 'start');
    expect(exited.code).toBe(1);
    expect(exited.stderr.trim().split('\n').at(-1)).toBe(
      `GATEHOUSE_PERMISSIONS_FILE ${file}: entry 1 (Reports:Write): Must be lowercase <resource>:<action>, e.g. workflows:read`,
    );
    // Nothing of it was registered.
    const [row] = await db.orm.em
      .fork()
      .execute<{ count: string }[]>(`select count(*) from registered_permissions where key = 'reports:read'`);
    expect(row?.count).toBe('0');
  });
});
