import { randomUUID } from 'node:crypto';
import { AuditEvent, DeploymentSetting } from '@gatehouse/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { record, systemActor } from '../core/audit.js';
import { startTestRuntime, useTestRuntime } from '../testing/fixtures.js';
import type { Invalidation, Runtime } from './caller.js';
import { type AfterCommit, systemTransaction, transaction } from './transaction.js';

// No runner: a mail's job stays in the queue for the tests to see.
const env = useTestRuntime({ queue: { sender: undefined, run: false } });
const caller = () => ({ em: env.db.orm.em.fork(), runtime: env.runtime });

/** What the hooks did, in order: this process's evictions are spied on. */
function watch() {
  const log: unknown[] = [];
  vi.spyOn(env.runtime, 'invalidate').mockImplementation((event) => void log.push(event));
  return log;
}

/** The invalidations another process's listener hears (its principal cache is told of each). */
function heardBy(runtime: Runtime) {
  const heard: Invalidation[] = [];
  vi.spyOn(runtime.principals, 'invalidate').mockImplementation((event) => void heard.push(event));
  return heard;
}

async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const stored = (key: string) => env.db.orm.em.fork().count(DeploymentSetting, { key });
const audited = (targetId: string) => env.db.orm.em.fork().count(AuditEvent, { targetId });
/** Outbox rows with this id and their queue jobs, read from the tables (not from any entity manager's memory). */
const queued = async (id: string) =>
  (
    await env.db.orm.em.fork().execute<{ rows: number; jobs: number }[]>(
      `select (select count(*)::int from outbox_messages where id = ?) as rows,
              (select count(*)::int from graphile_worker._private_jobs where payload->>'messageId' = ?) as jobs`,
      [id, id],
    )
  )[0];
const note = (to: string) => ({ to, subject: 'Test', text: 'A test message.' });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('transaction', () => {
  it('runs each hook once, in the order added, after the commit', async () => {
    const log = watch();
    const key = `test:${randomUUID()}`;
    const result = await transaction(caller(), async (tx, after) => {
      tx.create(DeploymentSetting, { key, value: 'v' });
      after.commit(() => log.push('first'));
      after.invalidate({ userId: 'usr_a' });
      after.mail('test', note('a@example.com'));
      after.invalidate({ userId: 'usr_a' });
      after.mail('test', note('b@example.com'));
      after.commit(() => log.push('last'));
      expect(log).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(log).toEqual(['first', { userId: 'usr_a' }, 'last']);
    expect(await stored(key)).toBe(1);
  });

  it('runs no hook and keeps no write when the work throws', async () => {
    const log = watch();
    let mailed = '';
    const key = `test:${randomUUID()}`;
    const failure = transaction(caller(), async (tx, after) => {
      tx.create(DeploymentSetting, { key, value: 'v' });
      record(tx, systemActor, { organizationId: null, action: 'test.done', target: { type: 'test', id: key } });
      await tx.flush();
      after.invalidate({ userId: 'usr_b' });
      mailed = after.mail('test', note('b@example.com'));
      after.commit(() => log.push('committed'));
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');
    expect(log).toEqual([]);
    expect(await queued(mailed)).toEqual({ rows: 0, jobs: 0 });
    expect(await stored(key)).toBe(0);
    expect(await audited(key)).toBe(0);
  });

  it('runs no hook when the commit itself fails', async () => {
    const log = watch();
    // Written by the flush that ends the transaction, after the work has returned: the key exists.
    const failure = transaction(caller(), async (tx, after) => {
      tx.create(DeploymentSetting, { key: 'cursor_secret', value: 'again' });
      after.invalidate({ userId: 'usr_c' });
      after.commit(() => log.push('committed'));
    });
    await expect(failure).rejects.toThrow(/duplicate key/);
    expect(log).toEqual([]);
  });

  it('reaches the other processes only when it commits', async () => {
    const other = await startTestRuntime(env.db);
    try {
      const heard = heardBy(other);
      await expect(
        transaction(caller(), async (_tx, after) => {
          after.invalidate({ userId: 'usr_rolled_back' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expect(
        transaction(caller(), async (tx, after) => {
          tx.create(DeploymentSetting, { key: 'cursor_secret', value: 'again' });
          after.invalidate({ userId: 'usr_failed_commit' });
        }),
      ).rejects.toThrow(/duplicate key/);
      await transaction(caller(), async (_tx, after) => {
        after.invalidate({ organizationId: 'org_changed' });
        after.invalidate({ keyId: 'key_changed' });
      });
      // NOTIFY is delivered in commit order: once the later ones are heard, the rolled-back ones never will be.
      await eventually(() => heard.length >= 2);
      expect(heard).toEqual([{ organizationId: 'org_changed' }, { keyId: 'key_changed' }]);
    } finally {
      await other.stop();
    }
  });

  it('refuses to nest, where commit would mean a savepoint', async () => {
    const log = watch();
    const key = `test:${randomUUID()}`;
    const outer = transaction(caller(), async (tx) => {
      tx.create(DeploymentSetting, { key, value: 'v' });
      await transaction({ em: tx, runtime: env.runtime }, async (_inner, after) => {
        after.commit(() => log.push('inner'));
      });
    });
    await expect(outer).rejects.toThrow('does not nest');
    expect(log).toEqual([]);
    expect(await stored(key)).toBe(0);
  });

  it('refuses a hook added once the work has returned, which would never be announced', async () => {
    let late: AfterCommit | undefined;
    await transaction(caller(), async (_tx, after) => {
      late = after;
    });
    expect(() => late?.invalidate({ userId: 'usr_late' })).toThrow('while the transaction runs');
  });

  it('mails: each message is written with the change, with its job on the queue', async () => {
    const log = watch();
    const key = `test:${randomUUID()}`;
    const ids = await transaction(caller(), async (tx, after) => {
      tx.create(DeploymentSetting, { key, value: 'v' });
      const first = after.mail('test', note('c@example.com'));
      after.commit(() => log.push('committed'));
      const second = after.mail('test', note('d@example.com'));
      expect(log).toEqual([]);
      return [first, second];
    });
    expect(log).toEqual(['committed']);
    for (const id of ids) expect(await queued(id)).toEqual({ rows: 1, jobs: 1 });
  });

  it('mails nothing when the commit itself fails', async () => {
    const log = watch();
    let mailed = '';
    const failure = transaction(caller(), async (tx, after) => {
      tx.create(DeploymentSetting, { key: 'cursor_secret', value: 'again' });
      mailed = after.mail('test', note('e@example.com'));
    });
    await expect(failure).rejects.toThrow(/duplicate key/);
    expect(log).toEqual([]);
    expect(await queued(mailed)).toEqual({ rows: 0, jobs: 0 });
  });

  it('refuses mail once the work has returned, which would never be written', async () => {
    let late: AfterCommit | undefined;
    await transaction(caller(), async (_tx, after) => {
      late = after;
    });
    expect(() => late?.mail('test', note('late@example.com'))).toThrow('while the transaction runs');
  });
});

describe('transaction, fresh', () => {
  it("neither flushes nor sees what the caller's entity manager holds", async () => {
    const c = caller();
    const pending = `test:${randomUUID()}`;
    const own = `test:${randomUUID()}`;
    c.em.create(DeploymentSetting, { key: pending, value: 'not flushed by the caller' });
    const seen = await transaction(
      c,
      async (tx) => {
        tx.create(DeploymentSetting, { key: own, value: 'v' });
        return tx
          .getUnitOfWork()
          .getIdentityMap()
          .values()
          .some((entity) => (entity as { key?: unknown }).key === pending);
      },
      { fresh: true },
    );
    expect(seen).toBe(false);
    expect(await stored(own)).toBe(1);
    expect(await stored(pending)).toBe(0);
  });

  it("runs while the caller's entity manager is in a transaction, and commits on its own", async () => {
    const log = watch();
    const own = `test:${randomUUID()}`;
    const outer = caller().em.transactional(async (tx) => {
      await transaction(
        { em: tx, runtime: env.runtime },
        async (inner, after) => {
          inner.create(DeploymentSetting, { key: own, value: 'v' });
          after.commit(() => log.push('committed'));
        },
        { fresh: true },
      );
      expect(log).toEqual(['committed']);
      throw new Error('the outer work rolls back');
    });
    await expect(outer).rejects.toThrow('the outer work rolls back');
    expect(await stored(own)).toBe(1);
  });
});

describe('systemTransaction', () => {
  it('runs its commit hooks after the commit only, on an entity manager of its own', async () => {
    const log: string[] = [];
    const key = `test:${randomUUID()}`;
    await expect(
      systemTransaction(env.db.orm, async (tx, after) => {
        tx.create(DeploymentSetting, { key, value: 'v' });
        after.commit(() => log.push('rolled back'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await systemTransaction(env.db.orm, async (tx, after) => {
      tx.create(DeploymentSetting, { key, value: 'v' });
      after.commit(() => log.push('committed'));
      expect(log).toEqual([]);
    });
    expect(log).toEqual(['committed']);
    expect(await stored(key)).toBe(1);
  });

  it('has no runtime: nothing to invalidate or mail', async () => {
    const failure = systemTransaction(env.db.orm, async (_tx, after) => {
      (after as AfterCommit).mail('test', note('f@example.com'));
    });
    await expect(failure).rejects.toThrow('no runtime');
  });
});
