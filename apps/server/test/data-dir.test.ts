// The embedded database's data directory: private whatever the umask, its password never shown to a
// second server, and refused in one line, untouched, when it is not a Gatehouse data directory.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbedded } from '@gatehouse/db';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runServerToExit, startServer, stopServer } from './processes.js';

const base = mkdtempSync(join(tmpdir(), 'gatehouse-data-dir-'));
// Made by the first test, which leaves it stopped: a real Gatehouse data directory to damage.
const gatehouseDir = join(base, 'gatehouse');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: '',
  GATEHOUSE_DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  ...extra,
});

function walk(dir: string, visit: (path: string) => void) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    visit(path);
    if (entry.isDirectory()) walk(path, visit);
  }
}

/** Every entry another user could read, write or enter, with its mode. */
function loose(dir: string): string[] {
  const found: string[] = [];
  walk(dir, (path) => {
    const mode = lstatSync(path).mode & 0o777;
    if (mode & 0o077 && !lstatSync(path).isSymbolicLink()) found.push(`${mode.toString(8)} ${relative(dir, path)}`);
  });
  return found;
}

/** Every path under `dir` with its mode and, for a file, its content's hash: what "untouched" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const describe = (path: string) => {
    const stat = lstatSync(path);
    const hash = stat.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir';
    out[relative(base, path)] = `${(stat.mode & 0o777).toString(8)} ${hash}`;
  };
  describe(dir);
  if (lstatSync(dir).isDirectory()) walk(dir, describe);
  return out;
}

async function sessionSetting(client: pg.Client) {
  return (await client.query<{ statement_timeout: string }>('show statement_timeout')).rows[0]?.statement_timeout;
}

describe('the embedded data directory', () => {
  it('is private whatever the umask, and a second server is refused without its password', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const bootstrap = {
      GATEHOUSE_BOOTSTRAP_EMAIL: 'founder@example.com',
      GATEHOUSE_BOOTSTRAP_PASSWORD: 'correct horse battery staple',
      GATEHOUSE_BOOTSTRAP_ORG: 'Founders',
    };
    const server = await startServer(env(gatehouseDir, { PORT: String(port), ...bootstrap }), 90_000, {
      umask: 0o000,
    });
    children.push(server);
    // Writes: a sign-up (user, session, outbox mail) and an organization on top of the bootstrap's.
    const signup = await fetch(`http://127.0.0.1:${port}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'ada@example.com', password: 'a long passphrase here', name: 'Ada' } }),
    });
    expect(signup.status).toBe(200);

    expect(statSync(gatehouseDir).mode & 0o777).toBe(0o700);
    expect(loose(gatehouseDir)).toEqual([]);

    const { url } = JSON.parse(readFileSync(join(gatehouseDir, 'owner.json'), 'utf8')) as { url: string };
    const second = await runServerToExit(env(gatehouseDir, { PORT: String(await freePort()) }));
    expect(second).toEqual({
      code: 1,
      output: `${gatehouseDir} is in use by another Gatehouse process (pid ${server.pid})\n`,
    });
    expect(second.output).not.toContain(new URL(url).password);

    // Every client shares the embedded database's one session: another's statement must wait for an
    // open transaction to end, not run inside it (it would see the transaction's `set local`).
    const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([a.connect(), b.connect()]);
    const outside = await sessionSetting(b);
    await a.query('begin');
    await a.query(`set local statement_timeout = '4242s'`);
    let answered = false;
    const seen = sessionSetting(b).finally(() => {
      answered = true;
    });
    for (let i = 0; i < 3; i++) await a.query('select 1');
    expect(answered).toBe(false);
    await a.query('rollback');
    expect(await seen).toBe(outside);
    await Promise.all([a.end(), b.end()]);

    expect(await stopServer(server)).toBe(0);
    expect(loose(gatehouseDir)).toEqual([]);
  });

  it('takes back what an older version left readable', { timeout: 120_000 }, async () => {
    chmodSync(gatehouseDir, 0o755);
    chmodSync(join(gatehouseDir, 'pgdata', 'base'), 0o755);
    chmodSync(join(gatehouseDir, 'pgdata', 'PG_VERSION'), 0o666);
    walk(join(gatehouseDir, 'pgdata', 'pg_wal'), (path) =>
      chmodSync(path, lstatSync(path).isDirectory() ? 0o777 : 0o644),
    );
    expect(loose(gatehouseDir).length).toBeGreaterThan(3);
    const server = await startServer(env(gatehouseDir, { PORT: String(await freePort()) }), 90_000);
    children.push(server);
    expect(statSync(gatehouseDir).mode & 0o777).toBe(0o700);
    expect(loose(gatehouseDir)).toEqual([]);
    expect(await stopServer(server)).toBe(0);
  });

  describe('refuses in one line, and changes nothing in,', () => {
    // A database that was opened (to see whose it is) rewrites its own bookkeeping (pg_control, WAL):
    // there, every path must still be there.
    const refused = async (dataDir: string, line: string, { opened = false } = {}) => {
      const before = snapshot(dataDir);
      const { code, output } = await runServerToExit(env(dataDir, { PORT: String(await freePort()) }));
      expect({ code, output }).toEqual({ code: 1, output: `${line}\n` });
      if (!opened) expect(snapshot(dataDir)).toEqual(before);
      else expect(Object.keys(snapshot(dataDir))).toEqual(expect.arrayContaining(Object.keys(before)));
    };

    it('a file', { timeout: 60_000 }, async () => {
      const file = join(base, 'a-file');
      writeFileSync(file, 'not a directory');
      await refused(file, `GATEHOUSE_DATA_DIR ${file} is not a directory`);
    });

    it('a directory of other files', { timeout: 60_000 }, async () => {
      const dir = join(base, 'documents');
      mkdirSync(join(dir, 'photos'), { recursive: true });
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      writeFileSync(join(dir, 'photos', 'cat.jpg'), 'meow');
      await refused(dir, `${dir} is not a Gatehouse data directory (files but no pgdata): give a new or empty one`);
    });

    it('a pgdata that is no database', { timeout: 60_000 }, async () => {
      const dir = join(base, 'no-database');
      mkdirSync(join(dir, 'pgdata'), { recursive: true });
      writeFileSync(join(dir, 'pgdata', 'notes.txt'), 'mine');
      await refused(dir, `${join(dir, 'pgdata')} is not a PostgreSQL data directory (no PG_VERSION)`);
    });

    it("another PostgreSQL's data directory", { timeout: 60_000 }, async () => {
      const dir = join(base, 'postgres-15');
      mkdirSync(join(dir, 'pgdata', 'base', '1'), { recursive: true });
      writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '15\n');
      writeFileSync(join(dir, 'pgdata', 'base', '1', '1259'), Buffer.alloc(8192, 1));
      await refused(
        dir,
        `${dir} holds a database the embedded PostgreSQL cannot open (PGlite failed to initialize properly)`,
      );
    });

    it('a corrupted Gatehouse database', { timeout: 60_000 }, async () => {
      const dir = join(base, 'corrupted');
      cpSync(gatehouseDir, dir, { recursive: true });
      const control = openSync(join(dir, 'pgdata', 'global', 'pg_control'), 'r+');
      writeSync(control, Buffer.alloc(512, 7), 0, 512, 0);
      closeSync(control);
      await refused(
        dir,
        `${dir} holds a database the embedded PostgreSQL cannot open (PGlite failed to initialize properly)`,
      );
    });

    it("another application's database", { timeout: 90_000 }, async () => {
      const dir = join(base, 'other-application');
      cpSync(gatehouseDir, dir, { recursive: true });
      // Tables, but none of Gatehouse's migrations recorded: as another application's would be.
      const embedded = await startEmbedded(dir);
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      await client.query('drop table mikro_orm_migrations');
      await client.end();
      await embedded.stop();
      await refused(dir, `${dir} holds another application's database (tables, but no Gatehouse migrations)`, {
        opened: true,
      });
    });
  });
});
