import { escapeLike } from '../schema.js';

/**
 * A condition on users (alias `u`): the email or the name starts with `search`, case-insensitively,
 * with %, _ and \ taken literally. Served by the lower(...) text_pattern_ops indexes on users.
 */
export function peopleSearch(search: string): { sql: string; params: string[] } {
  const prefix = `${escapeLike(search.toLowerCase())}%`;
  return { sql: `(lower(u.email) like ? escape '\\' or lower(u.name) like ? escape '\\')`, params: [prefix, prefix] };
}
