// What every benchmark does around its measuring: read its settings from the environment, get a
// database, and clean up however the run ends (success, failure or Ctrl-C). Importing this module
// does nothing; runBench installs the signal handlers.
import { type Orm, openOrm } from '@gatehouse/db';
import { createTestDatabase } from '@gatehouse/db/testing';

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Cleanup

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;

/**
 * Registers something to undo at the end. Steps run newest first, so what was built on the database
 * (servers, runtime, clients) is stopped before the database is dropped or closed.
 */
export function onCleanup(step: () => Promise<void>): void {
  cleanups.push(step);
}

/** Runs every step once, even when the run's end and a signal both ask; a failed step does not skip the rest. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    let failure: { error: unknown } | undefined;
    for (let step = cleanups.pop(); step; step = cleanups.pop()) {
      try {
        await step();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  })();
  return cleaning;
}

/**
 * Runs `main`, then the cleanup steps, whether it succeeded or threw (exit code 1). On SIGINT or
 * SIGTERM the cleanup runs at once and the process exits 130, so a Ctrl-C does not leave a test
 * database or child servers behind. `interruptNote` says what that cleanup is about to do.
 */
export async function runBench(main: () => Promise<void>, interruptNote = 'cleaning up'): Promise<void> {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: ${interruptNote}…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanUp().catch((error: unknown) => {
      console.error('cleanup failed:', error);
      process.exitCode = 1;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Database

export interface BenchDatabase {
  url: string;
  orm: Orm;
  /** For the report: `(DATABASE_URL, kept)` or `(fresh, dropped at the end)`. */
  note: string;
  /** Whether it is DATABASE_URL's database, which the run keeps (and may find earlier rows in). */
  kept: boolean;
}

/**
 * DATABASE_URL's database (already migrated; closed, not dropped, at the end) or else a fresh test
 * database, dropped at the end. Registers that cleanup itself, so no benchmark can forget it.
 */
export async function openDatabase(poolMax: number): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL || undefined;
  if (url) {
    const orm = await openOrm({ url, poolMax });
    onCleanup(() => orm.close(true));
    return { url, orm, note: '(DATABASE_URL, kept)', kept: true };
  }
  const fresh = await createTestDatabase();
  onCleanup(() => fresh.drop());
  return { url: fresh.url, orm: fresh.orm, note: '(fresh, dropped at the end)', kept: false };
}
