import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Owner {
  pid: number;
  url: string;
}

const ownerFile = (dataDir: string) => join(dataDir, 'owner.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The socket URL of the live process that owns `dataDir`, if any. */
export function findEmbeddedOwner(dataDir: string): string | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as Owner;
    return owner.pid !== process.pid && isAlive(owner.pid) ? owner.url : undefined;
  } catch {
    return undefined;
  }
}

export async function startEmbedded(dataDir: string, { maxConnections = 8 } = {}): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  const running = findEmbeddedOwner(dir);
  if (running) {
    throw new Error(`${dir} is in use by another Gatehouse process (database socket ${running})`);
  }
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: join(dir, 'pgdata') });
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
