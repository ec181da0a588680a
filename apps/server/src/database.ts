import { type EmbeddedDatabase, findEmbeddedOwner, migrate, type Orm, openOrm, startEmbedded } from '@gatehouse/db';

export interface Database {
  orm: Orm;
  /** Where the database is, for logs: the PostgreSQL host, or the embedded data directory. */
  description: string;
  /** The embedded database: every pooled connection shares its one session. */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured database and applies pending migrations: PostgreSQL at `databaseUrl`, else
 * the embedded one in `dataDir` — started here, or, when `shareEmbedded` is set and another
 * Gatehouse process already owns that directory, reached through that process's socket.
 */
export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  shareEmbedded?: boolean;
  log?: (message: string) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const orm = await openOrm({ url: opts.databaseUrl, log: opts.log });
    await migrate(orm, opts.databaseUrl);
    return { orm, description: new URL(opts.databaseUrl).host, embedded: false, close: () => orm.close() };
  }
  const shared = opts.shareEmbedded ? findEmbeddedOwner(opts.dataDir) : undefined;
  const embedded: EmbeddedDatabase | undefined = shared ? undefined : await startEmbedded(opts.dataDir);
  const url = shared ?? (embedded as EmbeddedDatabase).url;
  // The embedded database runs one query at a time, so a small pool is all it can use.
  const orm = await openOrm({ url, poolMax: 4, log: opts.log });
  try {
    // One process owns the embedded database, so there is no other migrator to exclude.
    await migrate(orm, url, { lock: false });
  } catch (error) {
    await orm.close();
    await embedded?.stop();
    throw error;
  }
  return {
    orm,
    description: `embedded (${opts.dataDir})`,
    embedded: true,
    async close() {
      await orm.close();
      await embedded?.stop();
    },
  };
}
