import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openOrm, ping } from './database.js';
import { migrations } from './migrations/index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(() => db.drop());

describe('migrate', () => {
  it('applies each migration once when two processes start together', async () => {
    const second = await openOrm({ url: db.url, poolMax: 2 });
    try {
      const [a, b] = await Promise.all([migrate(db.orm, db.url), migrate(second, db.url)]);
      expect([...a, ...b]).toHaveLength(migrations.length);
      const rows = await db.orm.em.getConnection().execute('select name from mikro_orm_migrations');
      expect(rows).toHaveLength(migrations.length);
      expect(await migrate(second, db.url)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('pings a live database and reports a dead one within the timeout', async () => {
    expect(await ping(db.orm)).toBe(true);
    const dead = await openOrm({ url: 'postgres://postgres@127.0.0.1:1/none' });
    const started = Date.now();
    expect(await ping(dead, 500)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    await dead.close();
  });
});
