import { newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, useTestRuntime } from '../testing/fixtures.js';
import { uniqueKey } from '../testing/matrix.js';

const env = useTestRuntime();

/** People in a new organization, written with one statement each (as the benchmarks seed them). */
async function organizationWith(people: { name: string; local: string }[]) {
  const owner = await ownerWithKey(env.db.orm);
  const domain = `${uniqueKey()}.example`;
  const users = people.map((p) => ({ id: newId('usr'), email: `${p.local}@${domain}`, name: p.name }));
  await env.db.orm.em.fork().transactional(async (tx) => {
    await tx.execute(
      `insert into users (id, email, name, created_at, updated_at)
       select x.id, x.email, x.name, now(), now() from jsonb_to_recordset(?::jsonb) as x(id text, email text, name text)`,
      [JSON.stringify(users)],
    );
    await tx.execute(
      `insert into memberships (id, organization_id, user_id, role, created_at, updated_at)
       select 'mem_' || substr(x.id, 5), ?, x.id, 'member', now(), now() from jsonb_to_recordset(?::jsonb) as x(id text)`,
      [owner.organizationId, JSON.stringify(users)],
    );
  });
  const ids = Object.fromEntries(users.map((u) => [u.name, u.id]));
  const key = owner.key;
  const organizationId = owner.organizationId;
  return {
    owner,
    domain,
    ids,
    /** users.list and organizations.members agree on every search: the names, in order. */
    async search(search: string, limit = 50): Promise<string[]> {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await callerAs(env.runtime, key).users.list({ search, limit, cursor });
        names.push(...page.items.map((u) => u.name));
        cursor = page.pageInfo.endCursor ?? undefined;
        if (!page.pageInfo.hasNextPage) break;
      } while (cursor);
      const members = await callerAs(env.runtime, key).organizations.members({ organizationId, search, limit: 200 });
      expect(members.items.map((m) => m.name)).toEqual(names);
      return names;
    },
  };
}

describe('people search', () => {
  it('finds any word of the name and any prefix of the email or a word of it, best match first', async () => {
    const org = await organizationWith([
      { name: 'Jane Doe', local: 'jane.doe' },
      { name: 'John Dorian', local: 'jd' },
      { name: 'Doreen Smith', local: 'dsmith' },
      { name: 'Ada Lovelace', local: 'ada_doer' },
      { name: 'Alan Turing', local: 'alan' },
    ]);
    // Rank 0: the whole name or email starts with it; rank 1: a later word does. Each by the word.
    expect(await org.search('do')).toEqual(['Doreen Smith', 'Jane Doe', 'Ada Lovelace', 'John Dorian']);
    expect(await org.search('doe')).toEqual(['Jane Doe', 'Ada Lovelace']);
    expect(await org.search('DOE')).toEqual(['Jane Doe', 'Ada Lovelace']);
    expect(await org.search('jane d')).toEqual(['Jane Doe']);
    expect(await org.search('jane.doe@')).toEqual(['Jane Doe']);
    expect(await org.search('smi')).toEqual(['Doreen Smith']);
    expect(await org.search('turing')).toEqual(['Alan Turing']);
    // The domain is a word of the email: everyone of it, the owner (another domain) aside.
    expect((await org.search(org.domain)).sort()).toEqual(
      ['Ada Lovelace', 'Alan Turing', 'Doreen Smith', 'Jane Doe', 'John Dorian'].sort(),
    );
    expect(await org.search('oe')).toEqual([]); // words match from their start only
    for (const literal of ['%', '_', '\\', "' or 1=1 --", 'd%']) expect(await org.search(literal)).toEqual([]);
  });

  it('pages through many matches with each member once, none missing, in the same order as one page', async () => {
    const people = Array.from({ length: 37 }, (_, i) => ({
      name: i % 3 === 0 ? `Mara Mason ${i}` : `Bob Mason ${i}`,
      local: i % 2 === 0 ? `mason.${i}` : `m.${i}`,
    }));
    const org = await organizationWith(people);
    const whole = await org.search('ma', 200);
    expect(whole).toHaveLength(37);
    expect(new Set(whole).size).toBe(37);
    // Rank 0 first (the name or email starts with "ma"), then those found only by a later word.
    const rank0 = people.filter((p, i) => p.name.startsWith('Mara') || i % 2 === 0).map((p) => p.name);
    expect(new Set(whole.slice(0, rank0.length))).toEqual(new Set(rank0));
    for (const limit of [1, 4, 7]) expect(await org.search('ma', limit)).toEqual(whole);
  });

  it('follows renames, new emails and removals at once, and never crosses organizations', async () => {
    const org = await organizationWith([{ name: 'Grace Hopper', local: 'grace' }]);
    const other = await organizationWith([{ name: 'Grace Kelly', local: 'gkelly' }]);
    expect(await org.search('grace')).toEqual(['Grace Hopper']);
    expect(await other.search('grace')).toEqual(['Grace Kelly']);
    const em = env.db.orm.em.fork();
    await em.execute(`update users set name = 'Grace Brewster Murray' where id = ?`, [org.ids['Grace Hopper']]);
    expect(await org.search('hopper')).toEqual([]);
    expect(await org.search('brewster')).toEqual(['Grace Brewster Murray']);
    await em.execute(`update users set email = 'gbm@navy.example' where id = ?`, [org.ids['Grace Hopper']]);
    expect(await org.search('navy')).toEqual(['Grace Brewster Murray']);
    expect(await org.search('grace@')).toEqual([]);
    await callerAs(env.runtime, org.owner.key).organizations.removeMember({
      organizationId: org.owner.organizationId,
      userId: org.ids['Grace Hopper'] as string,
    });
    expect(await org.search('grace')).toEqual([]);
    const [left] = await em.execute<{ n: string }[]>(
      `select count(*) as n from member_search_terms t join memberships m on m.id = t.membership_id
        where m.user_id = ?`,
      [org.ids['Grace Hopper']],
    );
    expect(Number(left?.n)).toBe(0);
  });
});
