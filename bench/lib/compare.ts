// The in-process comparison both organization benchmarks make (members, users): one procedure called
// through the real router with a server-side caller, in a big and a small organization, on a runtime
// built like a server's. Importing this module does nothing but build the caller factory.

import { performance } from 'node:perf_hooks';
import {
  appRouter,
  bootstrapWithKey,
  createCallerFactory,
  createContext,
  createLogTransport,
  createRuntime,
  type Runtime,
} from '@gatehouse/api';
import { type BenchDatabase, onCleanup } from './harness.js';
import { round2, type Stats, stats } from './stats.js';

export const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/** A runtime as a server builds it (principal cache on, invalidations by LISTEN); stopped at cleanup. */
export async function startRuntime(database: BenchDatabase): Promise<Runtime> {
  const runtime = await createRuntime({
    orm: database.orm,
    listenUrl: database.url,
    publicUrl: 'http://gatehouse.bench',
    mail: createLogTransport(() => {}),
    log: (message, error) => console.error(message, error ?? ''),
  });
  // Logged, not thrown: a runtime that fails to stop must not keep the database from being dropped.
  onCleanup(() => runtime.stop().catch((error: unknown) => console.error('runtime.stop failed:', error)));
  return runtime;
}

/** A caller authenticated the way a client is, by its API key in the Authorization header. */
export function callerFor(runtime: Runtime, key: string): Caller {
  return createCaller(
    createContext({
      runtime,
      headers: new Headers({ authorization: `Bearer ${key}` }),
      requestId: 'bench',
      ip: '127.0.0.1',
    }),
  );
}

export interface Owner {
  /** `big` / `small`: also the email domain of the owner and, by its first letter, the seeded ids' tag. */
  label: 'big' | 'small';
  organizationId: string;
  userId: string;
  key: string;
}

/**
 * The two organizations' owners and API keys, through the product. A run tag in their emails and
 * names lets a kept DATABASE_URL serve more than one run.
 */
export async function createOwners(database: BenchDatabase): Promise<[Owner, Owner]> {
  const run = Date.now().toString(36);
  const owners: Owner[] = [];
  for (const label of ['big', 'small'] as const) {
    const owner = await bootstrapWithKey(database.orm.em.fork(), {
      email: `owner-${run}@${label}.bench.example`,
      organization: `Bench ${label} ${run}`,
      newKey: true,
    });
    owners.push({ label, organizationId: owner.organizationId, userId: owner.userId, key: owner.apiKey.key });
  }
  return owners as [Owner, Owner];
}

interface Page {
  items: readonly unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Follows up to `pages` cursors from the first page, stopping early so that the page the cursor opens
 * is still a full one (a small organization may have only a few full pages); that cursor and its depth.
 * `members` counts the owner too.
 */
export async function cursorAfter(
  label: string,
  members: number,
  pages: number,
  pageSize: number,
  page: (cursor: string | undefined) => Promise<Page>,
): Promise<{ cursor: string; depth: number }> {
  const limit = Math.min(pages, Math.floor(members / pageSize) - 1);
  let cursor: string | undefined;
  let depth = 0;
  while (depth < limit) {
    const { pageInfo } = await page(cursor);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
    cursor = pageInfo.endCursor;
    depth++;
  }
  if (!cursor) throw new Error(`${label}: no second page to go deep into`);
  return { cursor, depth };
}

/** One case in one organization, ready to call: the call, and the columns it adds before `rows`. */
export interface Prepared {
  call: () => Promise<Page>;
  columns?: Record<string, string | number>;
}

export interface Settings {
  iterations: number;
  warmup: number;
  /** The big organization's p50 and p99 should stay within this multiple of the small one's. */
  target: number;
  /** Also show the ratio of the means. */
  meanRatio?: boolean;
}

type Row = Record<string, string | number>;

/**
 * Measures every case in both organizations, one call at a time, and returns the latency table (a
 * row per case and organization) and the ratio table (a row per case). `prepare` builds a case's
 * input for an organization, big first, before anything of that case is timed.
 */
export async function compareOrgs<C extends { name: string }, O extends { size: number }>(
  cases: readonly C[],
  [big, small]: readonly [O, O],
  prepare: (c: C, org: O) => Promise<Prepared>,
  { iterations, warmup, target, meanRatio = false }: Settings,
): Promise<{ rows: Row[]; ratios: Row[] }> {
  const rows: Row[] = [];
  const ratios: Row[] = [];
  console.log(`\n${iterations} measured calls per case and organization (after ${warmup} warm-up calls), interleaved:`);
  for (const c of cases) {
    const prepared = [
      { org: big, ...(await prepare(c, big)), samples: new Float64Array(iterations), rows: 0 },
      { org: small, ...(await prepare(c, small)), samples: new Float64Array(iterations), rows: 0 },
    ];
    for (let i = 0; i < warmup; i++) {
      for (const p of prepared) await p.call();
    }
    // Big and small alternate, call by call, so a noisy moment of the machine hits both alike.
    for (let i = 0; i < iterations; i++) {
      for (const p of prepared) {
        const started = performance.now();
        const page = await p.call();
        p.samples[i] = performance.now() - started;
        p.rows = page.items.length;
      }
    }
    const measured = prepared.map((p) => ({ ...p, stats: stats(p.samples) }));
    for (const m of measured) {
      rows.push({
        case: c.name,
        'org size': m.org.size,
        ...m.columns,
        rows: m.rows,
        'p50 ms': round2(m.stats.p50),
        'p99 ms': round2(m.stats.p99),
        'mean ms': round2(m.stats.mean),
      });
    }
    const [b, s] = measured.map((m) => m.stats) as [Stats, Stats];
    const p50 = b.p50 / s.p50;
    const p99 = b.p99 / s.p99;
    ratios.push({
      case: c.name,
      'p50 big/small': round2(p50),
      'p99 big/small': round2(p99),
      ...(meanRatio ? { 'mean big/small': round2(b.mean / s.mean) } : {}),
      [`within ${target}x`]: p50 <= target && p99 <= target ? 'yes' : 'NO',
    });
    console.log(`  ${c.name}: done`);
  }
  return { rows, ratios };
}
