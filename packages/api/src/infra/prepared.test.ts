import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from './prepared.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.orm.em
    .fork()
    .execute(
      `insert into rate_limits (bucket, count, reset_at) values ('a', 1, now()), ('b', 2, now() + interval '1 hour')`,
    );
});
afterAll(async () => {
  await db?.drop();
});

const SQL = 'select bucket, count, reset_at from rate_limits where count >= ? order by bucket';
const postgres = { embedded: false };

describe('preparedQuery', () => {
  it('answers the rows em.execute answers, values parsed the same way', async () => {
    const em = db.orm.em.fork();
    expect(await preparedQuery({ em, runtime: postgres }, SQL, [1])).toEqual(await em.execute(SQL, [1]));
    expect(await preparedQuery({ em, runtime: postgres }, SQL, [2])).toEqual(await em.execute(SQL, [2]));
  });

  it('prepares the text once on the connection and reuses it', async () => {
    const em = db.orm.em.fork();
    for (let i = 0; i < 3; i++) await preparedQuery({ em, runtime: postgres }, SQL, [i]);
    // Sequential calls reuse the pool's most recently released connection, which this query gets too.
    const pool = await em.getConnection().getNativeClient();
    const { rows } = await pool.query('select statement from pg_prepared_statements');
    expect(rows).toEqual([{ statement: SQL.replace('?', '$1') }]);
  });

  it("runs on a transaction's own connection inside it, so it sees that transaction's writes", async () => {
    const seen = await db.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`insert into rate_limits (bucket, count, reset_at) values ('c', 3, now())`);
      return preparedQuery<{ bucket: string }>({ em: tx, runtime: postgres }, SQL, [3]);
    });
    expect(seen.map((r) => r.bucket)).toEqual(['c']);
  });

  it('prepares nothing on the embedded database, whose connections share one session', async () => {
    const em = db.orm.em.fork();
    const text = `${SQL} limit 10`;
    expect(await preparedQuery({ em, runtime: { embedded: true } }, text, [1])).toEqual(await em.execute(text, [1]));
    const pool = await em.getConnection().getNativeClient();
    const { rows } = await pool.query('select statement from pg_prepared_statements');
    expect(rows).toEqual([{ statement: SQL.replace('?', '$1') }]);
  });
});
