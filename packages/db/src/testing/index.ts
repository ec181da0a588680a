import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { migrate, type Orm, openOrm } from '../database.js';
import { migrations } from '../migrations/index.js';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  orm: Orm;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The name of a database migrated with exactly this code's migrations (ours and the queue's): a
 * change to either gives a new name, so a stale template is never used.
 */
function templateName(): string {
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(`${m.name}\n${String(m.class)}\n`);
  const worker = createRequire(import.meta.url).resolve('graphile-worker');
  hash.update(readFileSync(join(dirname(worker), '..', 'package.json')));
  return `gatehouse_template_${hash.digest('hex').slice(0, 16)}`;
}

// Any constant; only test processes take it, on the server's maintenance database.
const TEMPLATE_LOCK = 4_247_002;
let template: Promise<string> | undefined;

/**
 * Migrating takes a second or more of the queue's and our 20-odd migrations; copying a migrated
 * template is a file copy. The first test process to need it builds it under a name of its own and
 * renames it into place (so a half-built template is never seen), under an advisory lock so that
 * parallel workers build it once. Connections to it are then refused: PostgreSQL copies a template
 * only while nobody is connected to it.
 */
function migratedTemplate(): Promise<string> {
  template ??= admin(async (c) => {
    const name = templateName();
    await c.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) return name;
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await c.query(`create database ${building}`);
      const url = withDatabase(TEST_SERVER_URL, building);
      try {
        const orm = await openOrm({ url, poolMax: 2, log: () => {} });
        try {
          await migrate(orm, url);
        } finally {
          await orm.close(true);
        }
      } catch (error) {
        // A migration that fails leaves no half-built database behind, run after run.
        await c.query(`drop database if exists ${building}`);
        throw error;
      }
      await c.query(`alter database ${building} rename to ${name}`);
      await c.query(`alter database ${name} with is_template true allow_connections false`);
      return name;
    } finally {
      await c.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return template;
}

/** A database of its own for one test file, freshly migrated unless `migrated: false`; `drop()` removes it. */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const from = migrated ? ` template ${await migratedTemplate()}` : '';
  await admin((c) => c.query(`create database ${name}${from}`));
  const url = withDatabase(TEST_SERVER_URL, name);
  const orm = await openOrm({ url, poolMax: 5 });
  return {
    url,
    orm,
    async drop() {
      await orm.close(true);
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
