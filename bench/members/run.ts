// Latency of `organizations.members` (a page of 50) in an organization of 100,000 members, next to the
// same page in an organization of 100 members. In-process, through the real router with a server-side
// caller (the whole procedure chain: authentication, organization permission, input/output parsing),
// without HTTP. Calls are sequential, one at a time.
//
//   cd bench && PATH=/work/main/node_modules/.bin:$PATH tsx members/run.ts
//
// Env: ITERATIONS (300) measured calls per case and organization, WARMUP (30) unmeasured calls first,
// BIG_MEMBERS (100000), SMALL_MEMBERS (100), DEEP_PAGES (20), DATABASE_URL (else a fresh test
// database, dropped at the end).
// Target, not asserted: every case's p50 and p99 in the big organization within 1.5x of the small one.
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
import { type Orm, openOrm } from '@gatehouse/db';
import { createTestDatabase } from '@gatehouse/db/testing';
import pg from 'pg';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

const iterations = intEnv('ITERATIONS', 300);
const warmup = intEnv('WARMUP', 30);
const bigSize = intEnv('BIG_MEMBERS', 100_000);
const smallSize = intEnv('SMALL_MEMBERS', 100);
const deepPages = intEnv('DEEP_PAGES', 20);
const externalUrl = process.env.DATABASE_URL || undefined;
const pageSize = 50;
const target = 1.5;

// ---------------------------------------------------------------------------------------------
// Seeding

interface Org {
  /** `big` / `small`: also the email domain (`user<i>@<label>.bench.example`) and part of the ids. */
  label: 'big' | 'small';
  size: number;
  organizationId: string;
  userId: string;
  key: string;
}

/**
 * `size` users and memberships in one organization, set-based. Ids are deterministic and sortable:
 * `<prefix>_<tag><25 hex digits of i>` (tag `b` or `s`, all Crockford base32 like `newId`'s), so the
 * member added last (the highest i) is the first of the list, as with real time-ordered ids. Emails
 * are `user<i>@<label>.bench.example`; names `<first> Member <i>`, the first name cycling through ten
 * (Ada for every i divisible by 10), so a search for `ada` matches 10% of members, evenly spread.
 * Roles: 1% admin, 19% viewer, 80% member.
 */
async function seed(db: pg.Client, org: Org): Promise<void> {
  const tag = org.label === 'big' ? 'b' : 's';
  await db.query('begin');
  await db.query(
    `insert into users (id, email, name, organization_id, created_at, updated_at)
     select 'usr_' || $1::text || lpad(to_hex(i), 25, '0'), 'user' || i || '@' || $2::text || '.bench.example',
            (array['Ada','Ben','Chloe','Dan','Eva','Finn','Grace','Hugo','Iris','Jon'])[i % 10 + 1] || ' Member ' || i,
            $3::text, t, t
       from generate_series(1, $4::int) i, lateral (select now() - ($4::int - i) * interval '1 minute' as t) ts`,
    [tag, org.label, org.organizationId, org.size],
  );
  await db.query(
    `insert into memberships (id, organization_id, user_id, role, created_at, updated_at)
     select 'mem_' || $1::text || lpad(to_hex(i), 25, '0'), $2::text, 'usr_' || $1::text || lpad(to_hex(i), 25, '0'),
            case when i % 100 = 0 then 'admin' when i % 100 < 20 then 'viewer' else 'member' end, t, t
       from generate_series(1, $3::int) i, lateral (select now() - ($3::int - i) * interval '1 minute' as t) ts`,
    [tag, org.organizationId, org.size],
  );
  await db.query('commit');
}

// ---------------------------------------------------------------------------------------------
// Measuring

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;
type MembersInput = Parameters<Caller['organizations']['members']>[0];

function callerFor(runtime: Runtime, key: string): Caller {
  return createCaller(
    createContext({
      runtime,
      headers: new Headers({ authorization: `Bearer ${key}` }),
      requestId: 'bench',
      ip: '127.0.0.1',
    }),
  );
}

interface Case {
  name: string;
  /** The input for one organization; the deep page needs the organization's cursor, hence async. */
  input(org: Org, caller: Caller): Promise<MembersInput>;
}

/**
 * Follows up to `pages` cursors from the first page, stopping early so that the page the cursor opens
 * is still a full one (the small organization has only two full pages); that cursor and its depth.
 */
async function cursorAfter(caller: Caller, org: Org, pages: number): Promise<{ cursor: string; depth: number }> {
  const members = org.size + 1; // the owner too
  const limit = Math.min(pages, Math.floor(members / pageSize) - 1);
  let cursor: string | undefined;
  let depth = 0;
  while (depth < limit) {
    const page = await caller.organizations.members({ organizationId: org.organizationId, limit: pageSize, cursor });
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    cursor = page.pageInfo.endCursor;
    depth++;
  }
  if (!cursor) throw new Error(`${org.label}: no second page to go deep into`);
  return { cursor, depth };
}

/** An email prefix only the member in the middle of the list has (the `@` ends the number). */
const onlyOne = (org: Org) => `user${Math.ceil(org.size / 2)}@`;

const cases: Case[] = [
  { name: 'first page', input: async (org) => ({ organizationId: org.organizationId, limit: pageSize }) },
  {
    name: 'deep page',
    input: async (org, caller) => {
      const { cursor, depth } = await cursorAfter(caller, org, deepPages);
      console.log(`  ${org.label}: deep page = page ${depth + 1}`);
      return { organizationId: org.organizationId, limit: pageSize, cursor };
    },
  },
  {
    name: "role 'admin'",
    input: async (org) => ({ organizationId: org.organizationId, limit: pageSize, role: 'admin' }),
  },
  {
    name: 'search, 1 match',
    input: async (org) => ({ organizationId: org.organizationId, limit: pageSize, search: onlyOne(org) }),
  },
  {
    name: "search 'ada', 10% spread",
    input: async (org) => ({ organizationId: org.organizationId, limit: pageSize, search: 'ada' }),
  },
  {
    name: "search 'user1', clustered",
    input: async (org) => ({ organizationId: org.organizationId, limit: pageSize, search: 'user1' }),
  },
];

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

function stats(samples: Float64Array): Stats {
  const sorted = samples.slice().sort();
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((sum, n) => sum + n, 0) / sorted.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Plans

/** listMembers' SQL, first page (no filter, no cursor), with the organization id inlined. */
const firstPageSql = (organizationId: string) =>
  `select m.id, m.user_id, u.email, u.name, m.role, m.created_at, u.status
       from memberships m join users u on u.id = m.user_id
      where m.organization_id = ${pg.escapeLiteral(organizationId)} order by m.id desc limit ${pageSize + 1}`;

/** listMembers' SQL with a search, as it builds it (a prefix on lower(email) or lower(name)). */
const searchSql = (organizationId: string, search: string) => {
  const prefix = pg.escapeLiteral(`${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
  return `select m.id, m.user_id, u.email, u.name, m.role, m.created_at, u.status
       from memberships m join users u on u.id = m.user_id
      where m.organization_id = ${pg.escapeLiteral(organizationId)}
        and (lower(u.email) like ${prefix} escape '\\' or lower(u.name) like ${prefix} escape '\\')
      order by m.id desc limit ${pageSize + 1}`;
};

async function explain(db: pg.Client, title: string, sql: string): Promise<void> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`);
  console.log(`\n${title}:`);
  for (const row of rows) console.log(`  ${row['QUERY PLAN']}`);
}

// ---------------------------------------------------------------------------------------------
// Main

let cleanup: (() => Promise<void>) | undefined;

async function main() {
  const database: { url: string; orm: Orm; drop: (() => Promise<void>) | null } = externalUrl
    ? { url: externalUrl, orm: await openOrm({ url: externalUrl, poolMax: 5 }), drop: null }
    : await createTestDatabase();
  const db = new pg.Client({ connectionString: database.url });
  let runtime: Runtime | undefined;
  let cleaned = false;
  cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await runtime?.stop().catch((error: unknown) => console.error('runtime.stop failed:', error));
    await db.end().catch(() => {});
    if (database.drop) await database.drop();
    else await database.orm.close(true);
  };
  await db.connect();

  // Owners through the product; distinct run tag so a kept DATABASE_URL can be used more than once.
  const run = Date.now().toString(36);
  const orgs: Org[] = [];
  for (const [label, size] of [
    ['big', bigSize],
    ['small', smallSize],
  ] as const) {
    const owner = await bootstrapWithKey(database.orm.em.fork(), {
      email: `owner-${run}@${label}.bench.example`,
      organization: `Bench ${label} ${run}`,
    });
    orgs.push({ label, size, organizationId: owner.organizationId, userId: owner.userId, key: owner.apiKey.key });
  }
  const [big, small] = orgs as [Org, Org];
  if (externalUrl) {
    // The seeded ids are deterministic: a kept database must not hold an earlier run's rows.
    const { rows } = await db.query(`select 1 from users where id like 'usr\\_b%' or id like 'usr\\_s%' limit 1`);
    if (rows.length) throw new Error('DATABASE_URL already holds seeded bench users (usr_b…/usr_s…); use a fresh one');
  }
  console.log(`database ${externalUrl ? '(DATABASE_URL, kept)' : '(fresh, dropped at the end)'}`);

  const seedStart = performance.now();
  for (const org of orgs) await seed(db, org);
  const seeded = performance.now();
  await db.query('analyze users; analyze memberships');
  const analyzed = performance.now();
  console.log(
    `seeded ${big.size.toLocaleString('en')} + ${small.size.toLocaleString('en')} users and memberships in ` +
      `${((seeded - seedStart) / 1000).toFixed(2)} s, analyze ${((analyzed - seeded) / 1000).toFixed(2)} s` +
      ` (each organization also has its owner: ${big.size + 1} and ${small.size + 1} members)`,
  );

  runtime = await createRuntime({
    orm: database.orm,
    listenUrl: database.url,
    publicUrl: 'http://gatehouse.bench',
    mail: createLogTransport(() => {}),
    log: (message, error) => console.error(message, error ?? ''),
  });
  const callers = new Map<Org, Caller>(orgs.map((org) => [org, callerFor(runtime as Runtime, org.key)]));

  interface Row {
    case: string;
    'org size': number;
    rows: number;
    'p50 ms': number;
    'p99 ms': number;
    'mean ms': number;
  }
  const rows: Row[] = [];
  const ratios: Record<string, string | number>[] = [];

  console.log(`\n${iterations} measured calls per case and organization (after ${warmup} warm-up calls), interleaved:`);
  for (const c of cases) {
    const prepared = [];
    for (const org of orgs) {
      const caller = callers.get(org) as Caller;
      const input = await c.input(org, caller);
      prepared.push({ org, caller, input, samples: new Float64Array(iterations), rows: 0 });
    }
    for (let i = 0; i < warmup; i++) {
      for (const p of prepared) await p.caller.organizations.members(p.input);
    }
    // Big and small alternate, call by call, so a noisy moment of the machine hits both alike.
    for (let i = 0; i < iterations; i++) {
      for (const p of prepared) {
        const started = performance.now();
        const page = await p.caller.organizations.members(p.input);
        p.samples[i] = performance.now() - started;
        p.rows = page.items.length;
      }
    }
    const [b, s] = prepared.map((p) => ({ p, st: stats(p.samples) })) as [
      { p: (typeof prepared)[number]; st: Stats },
      { p: (typeof prepared)[number]; st: Stats },
    ];
    for (const { p, st } of [b, s]) {
      rows.push({
        case: c.name,
        'org size': p.org.size,
        rows: p.rows,
        'p50 ms': round2(st.p50),
        'p99 ms': round2(st.p99),
        'mean ms': round2(st.mean),
      });
    }
    const p50 = b.st.p50 / s.st.p50;
    const p99 = b.st.p99 / s.st.p99;
    ratios.push({
      case: c.name,
      'p50 big/small': round2(p50),
      'p99 big/small': round2(p99),
      [`within ${target}x`]: p50 <= target && p99 <= target ? 'yes' : 'NO',
    });
    console.log(`  ${c.name}: done`);
  }

  console.log();
  console.table(rows);
  console.log(`ratio ${big.size.toLocaleString('en')}-member org / ${small.size}-member org (target <= ${target}x):`);
  console.table(ratios);

  await explain(db, `explain (analyze, buffers), first page, ${big.size}-member org`, firstPageSql(big.organizationId));
  await explain(
    db,
    `explain (analyze, buffers), search '${onlyOne(big)}' (1 match), ${big.size}-member org`,
    searchSql(big.organizationId, onlyOne(big)),
  );
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up…`);
    void (cleanup?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup?.().catch((error: unknown) => {
    console.error('cleanup failed:', error);
    process.exitCode = 1;
  });
}
