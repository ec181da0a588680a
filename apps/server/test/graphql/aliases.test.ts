// Aliases must not multiply listUsers' work past what the cost limit means to allow (two full reads).
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { appFor } from '../app.js';
import { gql, keyPair } from './http.js';

const env = useTestRuntime();

describe('listUsers under aliases', () => {
  it('reads the members once per document however many aliases ask for it', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    // A key with 8 calls left: one listUsers is 4 procedure calls (whoami, members, pending and
    // expired invitations), so the key pays for each read the server does.
    await env.db.orm.em.fork().execute('update api_keys set remaining = 8 where id = ?', [owner.keyId]);
    const headers = keyPair(owner.key);
    // `{ ok }` is cheap to the cost limit but each alias ran the whole read (members and invitations, paged).
    const aliased = `{ ${Array.from({ length: 12 }, (_, i) => `u${i}: listUsers { ok }`).join(' ')} }`;
    const answer = await gql(app, aliased, { headers });
    expect(answer.errors).toBeUndefined();
    expect(Object.keys(answer.data ?? {})).toHaveLength(12);
    // One read was spent (4 calls): one more document of any number of aliases fits, then the key is done.
    expect((await gql(app, aliased, { headers })).errors).toBeUndefined();
    const exhausted = await gql(app, aliased, { headers });
    expect(exhausted.errors?.[0]?.extensions?.reason).toBe('KEY_EXHAUSTED');
  });
});
