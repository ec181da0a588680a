import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { startPasswordGate } from './embedded-auth.js';

/**
 * The zero-setup database: PGlite (PostgreSQL compiled to WASM) persisted in a data directory and
 * served on a loopback socket, so the same pg driver and migrations run on it as on PostgreSQL.
 *
 * PGlite has no protection against two processes opening one directory (the second one's writes
 * are silently lost), so the owner records itself in `owner.json`; any other process (the CLI)
 * reads that file and connects through the owner's socket instead of opening the directory.
 *
 * PGlite's socket accepts any password, so it listens only on a unix socket in a private (0700)
 * directory; the loopback port that clients use demands a password generated at start and kept in
 * the 0600 `owner.json`. Another local user or process gets no SQL without reading that file.
 *
 * The data files hold password hashes, secrets and live links, and PGlite writes its own as it likes
 * (initdb's 0666 whatever the umask; WAL segments recycle them): the directory is 0700, and at every
 * start whatever in it another user could read is made the owner's alone.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Owner {
  pid: number;
  url: string;
}

/** A data directory Gatehouse will not use, or cannot open; the message is one line naming it. */
export class DataDirError extends Error {}

const ownerFile = (dataDir: string) => join(dataDir, 'owner.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

function liveOwner(dataDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as Owner;
    return owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The socket URL of the live process that owns `dataDir`, if any. */
export function findEmbeddedOwner(dataDir: string): string | undefined {
  return liveOwner(dataDir)?.url;
}

/**
 * Refuses what is not a Gatehouse data directory before PGlite touches it: given a directory without
 * PG_VERSION it runs initdb right into it, among whatever files are there.
 */
function checkDataDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new DataDirError(`GATEHOUSE_DATA_DIR ${dir} is not a directory`);
  const pgdata = join(dir, 'pgdata');
  if (!existsSync(pgdata)) {
    if (readdirSync(dir).some((name) => name !== 'owner.json')) {
      throw new DataDirError(`${dir} is not a Gatehouse data directory (files but no pgdata): give a new or empty one`);
    }
    return;
  }
  if (!statSync(pgdata).isDirectory() || (readdirSync(pgdata).length > 0 && !existsSync(join(pgdata, 'PG_VERSION')))) {
    throw new DataDirError(`${pgdata} is not a PostgreSQL data directory (no PG_VERSION)`);
  }
}

/** Takes group and other permissions off everything under `dir` (symbolic links aside). */
function makePrivate(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = lstatSync(path).mode & 0o777;
    if (mode & 0o077) chmodSync(path, mode & 0o700);
    if (entry.isDirectory()) makePrivate(path);
  }
}

/** Tables that are not Gatehouse's: a database some other application made. */
async function foreignTables(db: PGlite): Promise<boolean> {
  const { rows } = await db.query<{ foreign: boolean }>(
    `select to_regclass('public.mikro_orm_migrations') is null
        and exists (select 1 from pg_tables where schemaname = 'public') as foreign`,
  );
  return rows[0]?.foreign ?? false;
}

export async function startEmbedded(dataDir: string, { maxConnections = 8 } = {}): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  const running = liveOwner(dir);
  // Not its URL: that carries the database password, and this line goes to logs and terminals.
  if (running) throw new DataDirError(`${dir} is in use by another Gatehouse process (pid ${running.pid})`);
  try {
    checkDataDir(dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    // Node's message names the call and the path: "EACCES: permission denied, mkdir '…'".
    throw (error as NodeJS.ErrnoException).code ? new DataDirError(firstLine(error)) : error;
  }
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: join(dir, 'pgdata') });
  } catch (error) {
    // PGlite says little ("failed to initialize properly"); given another PostgreSQL's data or a damaged
    // one, it changes nothing there (data-dir.test.ts).
    throw new DataDirError(`${dir} holds a database the embedded PostgreSQL cannot open (${firstLine(error)})`);
  }
  if (await foreignTables(db)) {
    await db.close();
    throw new DataDirError(`${dir} holds another application's database (tables, but no Gatehouse migrations)`);
  }
  // Only now that it is known to be Gatehouse's: a refused directory keeps its modes too.
  chmodSync(dir, 0o700);
  makePrivate(dir);
  // mkdtemp makes the directory 0700; under tmpdir, the socket path stays within its ~100-byte limit.
  const socketDir = mkdtempSync(join(tmpdir(), 'gatehouse-db-'));
  const server = new PGLiteSocketServer({ db, path: join(socketDir, '.s.PGSQL.5432'), maxConnections });
  await server.start();
  const password = randomBytes(24).toString('base64url');
  const gate = await startPasswordGate({ password, upstreamPath: join(socketDir, '.s.PGSQL.5432') });
  const url = `postgres://postgres:${password}@127.0.0.1:${gate.port}/postgres`;
  // 0600: the password in it is the only way into the database.
  writeFileSync(ownerFile(dir), JSON.stringify({ pid: process.pid, url } satisfies Owner), { mode: 0o600 });
  return {
    url,
    async stop() {
      await gate.close();
      await server.stop();
      await db.close();
      rmSync(ownerFile(dir), { force: true });
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
