import { MikroORM } from '@mikro-orm/postgresql';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { type OrmOptions, ormConfig } from './mikro-orm.config.js';

export type Orm = MikroORM;

export async function openOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(options));
}

// Any constant works as long as every Gatehouse process agrees on it.
const MIGRATION_LOCK = 4_247_001;

/**
 * Applies pending migrations. On a shared PostgreSQL the run holds a session advisory lock on a
 * dedicated connection, so processes starting together apply each migration exactly once: the
 * second waits, then finds nothing pending. (The embedded database has one process by design and
 * its socket shares one session, where advisory locks exclude nothing: it passes `lock: false`.)
 */
export async function migrate(orm: Orm, url: string, { lock = true } = {}): Promise<string[]> {
  if (!lock) return migrateAll(orm, url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await migrateAll(orm, url);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

// The queue's own migrations say what they do at info level; only its warnings and errors are worth a line.
const queueLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`graphile-worker: ${message}`);
});

/**
 * The job queue's schema (graphile_worker.*, versioned by graphile-worker itself), then ours: the
 * transactions that write an event or a mail enqueue their jobs with `graphile_worker.add_job()`, so the
 * function must exist wherever our tables do, the embedded database included; and first, so that a
 * migration of ours may queue jobs (the outbox's pending mail moved onto the queue).
 */
async function migrateAll(orm: Orm, url: string): Promise<string[]> {
  await runMigrations({ connectionString: url, logger: queueLogger });
  return (await orm.migrator.up()).map((m) => m.name);
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function ping(orm: Orm, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = orm.em
    .getConnection()
    .execute('select 1')
    .then(() => true as const)
    .catch(() => false as const);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
