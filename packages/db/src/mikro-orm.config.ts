import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

export interface OrmOptions {
  url: string;
  /** Connections in the pool; the embedded database serves one query at a time, so it gets few. */
  poolMax?: number;
  debug?: boolean;
  /** Where ORM messages (migrations applied, debug queries) go: stderr unless given. */
  log?: (message: string) => void;
}

export function ormConfig({ url, poolMax = 10, debug = false, log }: OrmOptions) {
  return defineConfig({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    // Schema changes only ever come from committed migrations, never from auto-sync.
    migrations: {
      path: new URL('./migrations', import.meta.url).pathname,
      emit: 'ts',
      migrationsList: migrations,
      snapshot: false,
      snapshotOnMigrate: false,
      transactional: true,
      allOrNothing: true,
    },
    // Triggers and SQL functions are written by hand in migrations (e.g. the people-search terms), not
    // declared on entities: the schema diff must not propose to drop them.
    schemaGenerator: { ignoreTriggers: true, ignoreRoutines: true },
    pool: { min: 0, max: poolMax },
    debug,
    colors: false,
    // Never stdout: the CLI's stdout carries only its answer.
    logger: log ?? ((message) => process.stderr.write(`${message}\n`)),
  });
}
