import type { EntityManager } from '@mikro-orm/postgresql';
import { escapeLike } from '../core/schema.js';

const prefixOf = (search: string) => `${escapeLike(search.toLowerCase())}%`;

/**
 * A condition on users (alias `u`): the email or the name starts with `search`, case-insensitively,
 * with %, _ and \ taken literally. Served by the lower(...) text_pattern_ops indexes on users; used
 * where there is no organization to search in (platform.users.list).
 */
export function peopleSearch(search: string): { sql: string; params: string[] } {
  const prefix = prefixOf(search);
  return { sql: `(lower(u.email) like ? escape '\\' or lower(u.name) like ? escape '\\')`, params: [prefix, prefix] };
}

/** Where a search result sits in its list: the rank and term it matched best by, and its membership. */
export interface SearchPosition {
  search_rank: number;
  search_term: string;
  search_membership: string;
}

/** A cursor position for a search result (see searchMembers). */
export const searchPosition = (row: SearchPosition) =>
  JSON.stringify([row.search_rank, row.search_term, row.search_membership]);

/**
 * One page of an organization's members (aliases `m` memberships, `u` users) matching `search`: those
 * whose email or whole name starts with it first (rank 0), then those with a later word of the name or
 * of the email that does (rank 1), each in the order of the word they matched, then membership id.
 *
 * Each rank is one range of member_search_terms' primary key walked in order, so a page costs about
 * `limit` index entries whatever the organization's size and wherever the matches sit. A member found
 * by several words is listed once, at its best: a term row counts only if no better term of the same
 * membership matches. `after` is a searchPosition from the previous page.
 */
export function searchMembers<R>(em: EntityManager, query: MemberSearch): Promise<(R & SearchPosition)[]> {
  const { sql, params } = searchMembersQuery(query);
  return em.execute<(R & SearchPosition)[]>(sql, params);
}

export interface MemberSearch {
  organizationId: string;
  search: string;
  /** The columns to select, from `m` and `u`. */
  columns: string;
  /** Conditions on `m` and `u` (at least the organization), with `?` for `params`. */
  where: string;
  params: unknown[];
  after: string | null;
  limit: number;
}

/** searchMembers' SQL, with `?` placeholders (the benchmarks explain it). */
export function searchMembersQuery(query: MemberSearch): { sql: string; params: unknown[] } {
  const pattern = prefixOf(query.search);
  const [afterRank, afterTerm, afterMembership] = query.after
    ? (JSON.parse(query.after) as [number, string, string])
    : [0, null, null];
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const rank of [0, 1]) {
    if (rank < afterRank) continue;
    const keyset = afterTerm !== null && rank === afterRank ? 'and (t.term, t.membership_id) > (?, ?)' : '';
    parts.push(`(select ${query.columns}, t.rank as search_rank, t.term as search_term, t.membership_id as search_membership
        from member_search_terms t join memberships m on m.id = t.membership_id join users u on u.id = m.user_id
       where t.organization_id = ? and t.rank = ${rank} and t.term like ? escape '\\' ${keyset} and ${query.where}
         and not exists (select 1 from member_search_terms b where b.membership_id = t.membership_id
               and b.term like ? escape '\\' and (b.rank, b.term) < (t.rank, t.term))
       order by t.term, t.membership_id limit ?)`);
    params.push(query.organizationId, pattern);
    if (keyset) params.push(afterTerm, afterMembership);
    params.push(...query.params, pattern, query.limit + 1);
  }
  return {
    sql: `select * from (${parts.join(' union all ')}) s order by search_rank, search_term, search_membership limit ?`,
    params: [...params, query.limit + 1],
  };
}
