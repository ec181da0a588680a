// Latency of `users.list` (a page of 50) in an organization of 1,000,000 users, next to the same page
// in an organization of 1,000 users. `users.list` acts in the caller's organization (the API key's),
// so each organization is called with its own owner's key. In-process, through the real router with
// a server-side caller (the whole procedure chain: authentication, member permission, input/output
// parsing), without HTTP. Calls are sequential, one at a time.
//
//   cd bench && PATH=/work/main/node_modules/.bin:$PATH tsx users/run.ts
//
// Env: ITERATIONS (300) measured calls per case and organization, WARMUP (30) unmeasured calls first,
// BIG_USERS (1000000), SMALL_USERS (1000), DEEP_PAGES (20), SEED_BATCH (250000) rows per insert
// statement, EXPLAIN_ALL (unset: plans of the first page and the one-match search only),
// DATABASE_URL (else a fresh test database, dropped at the end).
// Target, not asserted: every case's p50 and p99 in the big organization within 1.5x of the small one.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  type Caller,
  callerFor,
  compareOrgs,
  createOwners,
  cursorAfter,
  type Owner,
  startRuntime,
} from '../lib/compare.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { explain, insertMemberships, openClient, refuseSeededRows, searchCondition, searchSql } from '../lib/sql.js';

const iterations = intEnv('ITERATIONS', 300);
const warmup = intEnv('WARMUP', 30);
const bigSize = intEnv('BIG_USERS', 1_000_000);
const smallSize = intEnv('SMALL_USERS', 1_000);
const deepPages = intEnv('DEEP_PAGES', 20);
const seedBatch = intEnv('SEED_BATCH', 250_000);
const explainAll = Boolean(process.env.EXPLAIN_ALL);
const pageSize = 50;
const target = 1.5;

// ---------------------------------------------------------------------------------------------
// Names

/** First names starting with `ma`: one in ten of the cycle, so a search for `ma` matches 10% of users. */
const maNames = ['Maria', 'Mark', 'Martin', 'Mary', 'Mason', 'Matthew', 'Maya', 'Max', 'Madison', 'Marco'];
/** The other 90 (some start with `m`, none with `ma`). */
// biome-ignore format: a table
const otherNames = [
  'Aaron', 'Ada', 'Adam', 'Aisha', 'Alex', 'Alice', 'Amir', 'Ana', 'Andrea',
  'Anna', 'Ben', 'Bianca', 'Carlos', 'Chloe', 'Chen', 'Daniel', 'David', 'Diego',
  'Dmitri', 'Elena', 'Elif', 'Emma', 'Eric', 'Ethan', 'Eva', 'Fatima', 'Felix',
  'Finn', 'Fiona', 'Gabriel', 'George', 'Grace', 'Hana', 'Hannah', 'Hugo', 'Ian',
  'Ibrahim', 'Iris', 'Isaac', 'Ivan', 'Jack', 'James', 'Jane', 'Javier', 'Jon',
  'Julia', 'Kai', 'Karen', 'Kenji', 'Laura', 'Leo', 'Liam', 'Lina', 'Lucas',
  'Lucy', 'Luis', 'Mei', 'Mia', 'Miguel', 'Mohammed', 'Nadia', 'Nina', 'Noah',
  'Nora', 'Olga', 'Oliver', 'Omar', 'Oscar', 'Paul', 'Pedro', 'Priya', 'Quinn',
  'Rachel', 'Rahul', 'Rosa', 'Ruth', 'Ryan', 'Sam', 'Sara', 'Sofia', 'Tara',
  'Theo', 'Tom', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zara', 'Zoe',
];
/** 100 first names, a `ma` name at every tenth place, so the `ma` users are evenly spread. */
const firstNames = maNames.flatMap((ma, k) => [ma, ...otherNames.slice(k * 9, k * 9 + 9)]);
// biome-ignore format: a table
const lastNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Kim', 'Patel', 'Singh', 'Wang', 'Schmidt', 'Rossi', 'Dubois', 'Kowalski', 'Silva', 'Santos',
  'Yilmaz', 'Ivanov', 'Tanaka', 'Cohen',
];
if (firstNames.length !== 100 || new Set(firstNames).size !== 100) throw new Error('need 100 distinct first names');
if (firstNames.filter((n) => n.toLowerCase().startsWith('ma')).length !== 10) throw new Error('need 10 ma names');

// ---------------------------------------------------------------------------------------------
// Seeding

interface Org extends Owner {
  size: number;
  /** Seeded user i has the number `offset + i` (in its email; it also picks names, domain, status). */
  offset: number;
}

/**
 * Users `offset+1 … offset+size` and their memberships, in statements of `seedBatch` rows, set-based.
 * With n = offset + i:
 * - ids `usr_<tag><25 hex digits of i>` / `mem_<tag>…` (tag `b` or `s`, Crockford base32 like
 *   `newId`'s), so the member added last (the highest i) is the first of the list, as with real
 *   time-ordered ids; created_at one minute apart, newest now;
 * - name `<First> <Last>`, the first name cycling through 100 (firstNames[n % 100]), the last name
 *   through 64 (lastNames[(n / 100) % 64]);
 * - email `<first>.<last>.<n>@domain<n % 37 + 1>.example`, so email and name share their first letters;
 * - managed by the organization (as users.create makes them), so their account status is their status there;
 * - status: 2% deactivated, 1% archived, 97% active, exactly 3 in every 100 users; the 3 slide by 7
 *   places from one hundred to the next, so over 10,000 users every first name has its share;
 * - role 1% admin, 19% viewer, 80% member.
 * Returns the time of each statement, for the seeding report.
 */
async function seed(db: pg.Client, org: Org): Promise<{ users: number; memberships: number }> {
  const tag = org.label[0] as 'b' | 's';
  const time = { users: 0, memberships: 0 };
  await db.query('begin');
  for (let from = 1; from <= org.size; from += seedBatch) {
    const to = Math.min(org.size, from + seedBatch - 1);
    let started = performance.now();
    await db.query(
      `insert into users (id, email, name, status, organization_id, managed_by, created_at, updated_at)
       select 'usr_' || $1::text || lpad(to_hex(i), 25, '0'),
              lower(f) || '.' || lower(l) || '.' || n || '@domain' || (n % 37 + 1) || '.example',
              f || ' ' || l,
              case (n + 7 * (n / 100)) % 100 when 0 then 'deactivated' when 1 then 'deactivated'
                   when 2 then 'archived' else 'active' end,
              $2::text, $2::text, t, t
         from generate_series($3::int, $4::int) i,
              lateral (select $5::int + i as n, now() - ($6::int - i) * interval '1 minute' as t) v,
              lateral (select ($7::text[])[n % 100 + 1] as f,
                              ($8::text[])[(n / 100) % array_length($8::text[], 1) + 1] as l) names`,
      [tag, org.organizationId, from, to, org.offset, org.size, firstNames, lastNames],
    );
    time.users += performance.now() - started;
    started = performance.now();
    await insertMemberships(db, tag, org.organizationId, from, to, org.size);
    time.memberships += performance.now() - started;
    if (org.size > seedBatch)
      console.log(`  ${org.label}: ${to.toLocaleString('en')} of ${org.size.toLocaleString('en')}`);
  }
  await db.query('commit');
  return time;
}

// ---------------------------------------------------------------------------------------------
// Cases

type ListInput = NonNullable<Parameters<Caller['users']['list']>[0]>;

interface Case {
  name: string;
  /** The input for one organization; the deep page needs the organization's cursor, hence async. */
  input(org: Org, caller: Caller, db: pg.Client): Promise<ListInput>;
}

/** The email of the user in the middle of the list, up to and including the `@`: exactly one user. */
async function onlyOne(db: pg.Client, org: Org): Promise<string> {
  const i = Math.ceil(org.size / 2);
  const { rows } = await db.query<{ email: string }>(`select email from users where id = $1`, [
    `usr_${org.label[0]}${i.toString(16).padStart(25, '0')}`,
  ]);
  const email = rows[0]?.email;
  if (!email) throw new Error(`${org.label}: seeded user ${i} is missing`);
  return email.slice(0, email.indexOf('@') + 1);
}

const cases: Case[] = [
  { name: 'first page', input: async () => ({ limit: pageSize }) },
  {
    name: 'deep page',
    input: async (org, caller) => {
      // At the default sizes the small organization has only 20 full pages: its deep page is page 20.
      const { cursor, depth } = await cursorAfter(org.label, org.size + 1, deepPages, pageSize, (cursor) =>
        caller.users.list({ limit: pageSize, cursor }),
      );
      console.log(`  ${org.label}: deep page = page ${depth + 1}`);
      return { limit: pageSize, cursor };
    },
  },
  { name: 'active: false', input: async () => ({ limit: pageSize, active: false }) },
  { name: 'search, 1 match', input: async (org, _caller, db) => ({ limit: pageSize, search: await onlyOne(db, org) }) },
  { name: "search 'ma', 10% spread", input: async () => ({ limit: pageSize, search: 'ma' }) },
  // A last name: a later word of the name and of the email, 1 user in 64 of the big organization,
  // evenly spread; the small one's users 1-99 (its last names cycle by hundreds: Taylor is one of them).
  { name: "search 'taylor', word", input: async () => ({ limit: pageSize, search: 'taylor' }) },
];

// ---------------------------------------------------------------------------------------------
// SQL, as listUsers builds it, with the values inlined (for explain and for counting matches)

const USER_COLUMNS = `u.id, u.email, u.name, u.username, u.profile, u.platform_role, u.status, u.avatar_url,
  u.last_login_at, u.created_at, u.updated_at, m.role, m.id as membership_id`;

/** listUsers' where clause for an input without a cursor. */
function whereOf(organizationId: string, input: { search?: string; active?: boolean }): string {
  let where = `m.organization_id = ${pg.escapeLiteral(organizationId)}`;
  if (input.search) where += ` and ${searchCondition(input.search)}`;
  if (input.active !== undefined) where += input.active ? ` and u.status = 'active'` : ` and u.status <> 'active'`;
  return where;
}

const listSql = (organizationId: string, input: { search?: string; active?: boolean }) =>
  input.search
    ? searchSql({
        organizationId,
        search: input.search,
        columns: USER_COLUMNS,
        where: whereOf(organizationId, { ...input, search: undefined }),
        params: [],
        after: null,
        limit: pageSize,
      })
    : `select ${USER_COLUMNS} from memberships m join users u on u.id = m.user_id
      where ${whereOf(organizationId, input)} order by m.id desc limit ${pageSize + 1}`;

async function matches(db: pg.Client, org: Org, input: ListInput): Promise<number | null> {
  if (input.cursor) return null;
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from memberships m join users u on u.id = m.user_id where ${whereOf(org.organizationId, input)}`,
  );
  return Number(rows[0]?.n);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const database = await openDatabase(5);
  const db = await openClient(database.url);

  const [bigOwner, smallOwner] = await createOwners(database);
  const big: Org = { ...bigOwner, size: bigSize, offset: 0 };
  const small: Org = { ...smallOwner, size: smallSize, offset: bigSize };
  if (database.kept) await refuseSeededRows(db);
  console.log(`database ${database.note}`);

  // All indexes and foreign keys stay in place while seeding: the time below includes maintaining them.
  const { rows: indexes } = await db.query<{ name: string }>(
    `select indexrelid::regclass::text as name from pg_index where indrelid in ('users'::regclass, 'memberships'::regclass)
      order by 1`,
  );
  console.log(`seeding with ${indexes.length} indexes in place: ${indexes.map((r) => r.name).join(', ')}`);
  const seedStart = performance.now();
  const spent = { users: 0, memberships: 0 };
  for (const org of [big, small]) {
    const t = await seed(db, org);
    spent.users += t.users;
    spent.memberships += t.memberships;
  }
  const seeded = performance.now();
  await db.query('analyze users; analyze memberships; analyze member_search_terms');
  const analyzed = performance.now();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `seeded ${big.size.toLocaleString('en')} + ${small.size.toLocaleString('en')} users and memberships in ` +
      `${s(seeded - seedStart)} (users ${s(spent.users)}, memberships ${s(spent.memberships)}), analyze ${s(analyzed - seeded)}` +
      ` (each organization also has its owner: ${(big.size + 1).toLocaleString('en')} and ${(small.size + 1).toLocaleString('en')} members)`,
  );
  const { rows: sizes } = await db.query<{ relation: string; table_mb: string; indexes_mb: string }>(
    `select c::text as relation, round(pg_table_size(c) / 1048576.0) as table_mb,
            round(pg_indexes_size(c) / 1048576.0) as indexes_mb
       from unnest(array['users'::regclass, 'memberships'::regclass]) c`,
  );
  console.log(sizes.map((r) => `  ${r.relation}: table ${r.table_mb} MB, indexes ${r.indexes_mb} MB`).join('\n'));

  const runtime = await startRuntime(database);
  const callers = new Map<Org, Caller>([big, small].map((org) => [org, callerFor(runtime, org.key)]));
  // The big organization's input of each case, for its plan below.
  const bigInputs = new Map<string, ListInput>();
  const { rows, ratios } = await compareOrgs(
    cases,
    [big, small],
    async (c, org) => {
      const caller = callers.get(org) as Caller;
      const input = await c.input(org, caller, db);
      const matching = await matches(db, org, input);
      if (org === big) bigInputs.set(c.name, input);
      return { call: () => caller.users.list(input), columns: { matches: matching ?? '' } };
    },
    { iterations, warmup, target, meanRatio: true },
  );

  console.log('\n(matches: members the filter matches in the whole organization; rows: items on the measured page)');
  console.table(rows);
  console.log(
    `ratio ${big.size.toLocaleString('en')}-user org / ${small.size.toLocaleString('en')}-user org (target <= ${target}x at p50 and p99):`,
  );
  console.table(ratios);

  const planned = explainAll
    ? cases.filter((c) => c.name !== 'deep page')
    : cases.filter((c) => /first page|1 match/.test(c.name));
  for (const c of planned) {
    const input = bigInputs.get(c.name) ?? {};
    await explain(
      db,
      `explain (analyze, buffers), ${c.name} ${JSON.stringify(input)}, ${big.size.toLocaleString('en')}-user org`,
      listSql(big.organizationId, input),
    );
  }
}

await runBench(main);
