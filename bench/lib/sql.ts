// SQL both organization benchmarks (members, users) need besides their own seeding: a plain pg client
// for seeding and explain, the memberships they seed alike, and listing SQL pieces as the API builds them.

import { type MemberSearch, searchMembersQuery } from '@gatehouse/api';
import pg from 'pg';
import { onCleanup } from './harness.js';

/** A client of its own, outside the ORM's pool, so seeding and explain do not take a pooled connection. */
export async function openClient(url: string): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: url });
  onCleanup(() => db.end().catch(() => {}));
  await db.connect();
  return db;
}

/** The seeded ids are deterministic (`usr_b…`, `usr_s…`): a kept database must not hold an earlier run's rows. */
export async function refuseSeededRows(db: pg.Client): Promise<void> {
  const { rows } = await db.query(`select 1 from users where id like 'usr\\_b%' or id like 'usr\\_s%' limit 1`);
  if (rows.length) throw new Error('DATABASE_URL already holds seeded bench users (usr_b…/usr_s…); use a fresh one');
}

/**
 * Memberships `from … to` (of `size`) of the seeded users `usr_<tag><25 hex digits of i>` in one
 * organization: ids `mem_<tag>…` sortable like `newId`'s, so the highest i is the newest member;
 * created one minute apart, the last one now; roles 1% admin, 19% viewer, 80% member.
 */
export async function insertMemberships(
  db: pg.Client,
  tag: string,
  organizationId: string,
  from: number,
  to: number,
  size: number,
): Promise<void> {
  await db.query(
    `insert into memberships (id, organization_id, user_id, role, created_at, updated_at)
     select 'mem_' || $1::text || lpad(to_hex(i), 25, '0'), $2::text, 'usr_' || $1::text || lpad(to_hex(i), 25, '0'),
            case when i % 100 = 0 then 'admin' when i % 100 < 20 then 'viewer' else 'member' end, t, t
       from generate_series($3::int, $4::int) i, lateral (select now() - ($5::int - i) * interval '1 minute' as t) ts`,
    [tag, organizationId, from, to, size],
  );
}

/**
 * Whether a member (`m`) matches the API's people search (any of its member_search_terms starts with
 * it), with the search inlined: for counting matches.
 */
export function searchCondition(search: string): string {
  const prefix = pg.escapeLiteral(`${search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`);
  return `exists (select 1 from member_search_terms t where t.membership_id = m.id and t.term like ${prefix} escape '\\')`;
}

/** A search page's SQL exactly as the API runs it (searchMembersQuery), its `?` placeholders as `$n`. */
export function searchSql(query: MemberSearch): { text: string; values: unknown[] } {
  const { sql, params } = searchMembersQuery(query);
  let n = 0;
  return { text: sql.replace(/\?/g, () => `$${++n}`), values: params };
}

export async function explain(
  db: pg.Client,
  title: string,
  sql: string | { text: string; values: unknown[] },
): Promise<void> {
  const query = typeof sql === 'string' ? { text: sql, values: [] } : sql;
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.text}`, query.values);
  console.log(`\n${title}:`);
  for (const row of rows) console.log(`  ${row['QUERY PLAN']}`);
}
