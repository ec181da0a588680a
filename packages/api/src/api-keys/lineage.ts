import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * `up`: the key `start` names and every key above it (the key it was made with, that key's parent, …),
 * `depth` 0 for the key itself. A key made with a key spends its ancestors' limits as well as its own,
 * so these are the limits each of its calls must fit in (see limits/key-limits.ts).
 */
export const lineageSql = (start: string) => `with recursive up as (
    select a.id, a.parent_key_id, a.rate_limit_max, a.rate_limit_window_seconds, a.remaining, 0 as depth
      from api_keys a where a.id = ${start}
    union all
    select a.id, a.parent_key_id, a.rate_limit_max, a.rate_limit_window_seconds, a.remaining,
           up.depth + 1
      from api_keys a join up on a.id = up.parent_key_id)`;

export interface LineageKey {
  id: string;
  /** It has a rate limit or a count of remaining calls. */
  limited: boolean;
}

/** `keyId` and the keys above it, nearest first. */
export function lineageOf(em: EntityManager, keyId: string): Promise<LineageKey[]> {
  return em.execute<LineageKey[]>(
    `${lineageSql('?')}
     select id, (rate_limit_max is not null or remaining is not null) as limited from up order by depth`,
    [keyId],
  );
}

/** `down`: every key made with the key `start` names, and with those, and so on (not that key itself). */
export const descendantsSql = (start: string) => `with recursive down(id) as (
    select id from api_keys where parent_key_id = ${start}
    union select k.id from api_keys k join down on k.parent_key_id = down.id)`;
