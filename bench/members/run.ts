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
import { explain, insertMemberships, openClient, refuseSeededRows, searchSql } from '../lib/sql.js';

const iterations = intEnv('ITERATIONS', 300);
const warmup = intEnv('WARMUP', 30);
const bigSize = intEnv('BIG_MEMBERS', 100_000);
const smallSize = intEnv('SMALL_MEMBERS', 100);
const deepPages = intEnv('DEEP_PAGES', 20);
const pageSize = 50;
const target = 1.5;

// ---------------------------------------------------------------------------------------------
// Seeding

/** An owner's organization; `label` is also the seeded members' email domain (`user<i>@<label>.bench.example`). */
interface Org extends Owner {
  size: number;
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
  await insertMemberships(db, tag, org.organizationId, 1, org.size, org.size);
  await db.query('commit');
}

// ---------------------------------------------------------------------------------------------
// Cases

type MembersInput = Parameters<Caller['organizations']['members']>[0];

interface Case {
  name: string;
  /** The input for one organization; the deep page needs the organization's cursor, hence async. */
  input(org: Org, caller: Caller): Promise<MembersInput>;
}

/** An email prefix only the member in the middle of the list has (the `@` ends the number). */
const onlyOne = (org: Org) => `user${Math.ceil(org.size / 2)}@`;

const cases: Case[] = [
  { name: 'first page', input: async (org) => ({ organizationId: org.organizationId, limit: pageSize }) },
  {
    name: 'deep page',
    input: async (org, caller) => {
      // At the default sizes the small organization has only two full pages: its deep page is page 2.
      const { cursor, depth } = await cursorAfter(org.label, org.size + 1, deepPages, pageSize, (cursor) =>
        caller.organizations.members({ organizationId: org.organizationId, limit: pageSize, cursor }),
      );
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
  {
    // "Member" is every member's second word: the whole organization matches by a later word.
    name: "search 'member', every member",
    input: async (org) => ({ organizationId: org.organizationId, limit: pageSize, search: 'member' }),
  },
];

// ---------------------------------------------------------------------------------------------
// Plans

/** listMembers' SQL, first page (no cursor), with the organization id and any search inlined. */
const MEMBER_COLUMNS = 'm.id, m.user_id, u.email, u.name, m.role, m.created_at, u.status';
const listSql = (organizationId: string, search?: string) =>
  search
    ? searchSql({
        organizationId,
        search,
        columns: MEMBER_COLUMNS,
        where: `m.organization_id = ${pg.escapeLiteral(organizationId)}`,
        params: [],
        after: null,
        limit: pageSize,
      })
    : `select ${MEMBER_COLUMNS} from memberships m join users u on u.id = m.user_id
      where m.organization_id = ${pg.escapeLiteral(organizationId)} order by m.id desc limit ${pageSize + 1}`;

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const database = await openDatabase(5);
  const db = await openClient(database.url);

  const [bigOwner, smallOwner] = await createOwners(database);
  const big: Org = { ...bigOwner, size: bigSize };
  const small: Org = { ...smallOwner, size: smallSize };
  if (database.kept) await refuseSeededRows(db);
  console.log(`database ${database.note}`);

  const seedStart = performance.now();
  for (const org of [big, small]) await seed(db, org);
  const seeded = performance.now();
  await db.query('analyze users; analyze memberships; analyze member_search_terms');
  const analyzed = performance.now();
  console.log(
    `seeded ${big.size.toLocaleString('en')} + ${small.size.toLocaleString('en')} users and memberships in ` +
      `${((seeded - seedStart) / 1000).toFixed(2)} s, analyze ${((analyzed - seeded) / 1000).toFixed(2)} s` +
      ` (each organization also has its owner: ${big.size + 1} and ${small.size + 1} members)`,
  );

  const runtime = await startRuntime(database);
  const callers = new Map<Org, Caller>([big, small].map((org) => [org, callerFor(runtime, org.key)]));
  const { rows, ratios } = await compareOrgs(
    cases,
    [big, small],
    async (c, org) => {
      const caller = callers.get(org) as Caller;
      const input = await c.input(org, caller);
      return { call: () => caller.organizations.members(input) };
    },
    { iterations, warmup, target },
  );

  console.log();
  console.table(rows);
  console.log(`ratio ${big.size.toLocaleString('en')}-member org / ${small.size}-member org (target <= ${target}x):`);
  console.table(ratios);

  await explain(db, `explain (analyze, buffers), first page, ${big.size}-member org`, listSql(big.organizationId));
  await explain(
    db,
    `explain (analyze, buffers), search '${onlyOne(big)}' (1 match), ${big.size}-member org`,
    listSql(big.organizationId, onlyOne(big)),
  );
}

await runBench(main);
