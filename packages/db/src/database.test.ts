import { Logger, runMigrations } from 'graphile-worker';
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

  it('gives mail still pending when mail moved onto the queue its job, due when its next attempt was', async () => {
    const upgraded = await createTestDatabase({ migrated: false });
    try {
      // The schema as it was before the move, with one message waiting and one already sent.
      await runMigrations({ connectionString: upgraded.url, logger: new Logger(() => () => {}) });
      await upgraded.orm.migrator.up({ to: 'Migration20261206060000_webhook_signing' });
      const em = upgraded.orm.em.fork();
      await em.execute(
        `insert into outbox_messages (id, kind, to_address, payload, status, attempts, next_attempt_at, created_at)
         values ('msg_waiting', 'invitation', 'a@example.com', 'sealed', 'pending', 1, now() + interval '5 minutes', now()),
                ('msg_sent', 'invitation', 'b@example.com', null, 'sent', 1, now(), now())`,
      );
      await migrate(upgraded.orm, upgraded.url);
      const jobs = await em.execute<{ key: string; payload: unknown; due_in: number }[]>(
        `select key, payload, round(extract(epoch from run_at - now()) / 60)::int as due_in from graphile_worker._private_jobs`,
      );
      expect(jobs).toEqual([{ key: 'msg_waiting', payload: { messageId: 'msg_waiting' }, due_in: 5 }]);
    } finally {
      await upgraded.drop();
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
