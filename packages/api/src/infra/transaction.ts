import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, Invalidation } from './caller.js';

export const INVALIDATION_CHANNEL = 'gatehouse_invalidate';

/**
 * Tells every server process that credentials tied to `events` changed, in one statement. Called
 * inside the transaction that changes them: PostgreSQL delivers a NOTIFY only when (and if) it
 * commits. transaction() calls it, and evicts them here after the commit.
 */
export async function announce(em: EntityManager, ...events: Invalidation[]): Promise<void> {
  await em.execute('select pg_notify(?, p) from jsonb_array_elements_text(?::jsonb) as t(p)', [
    INVALIDATION_CHANNEL,
    JSON.stringify(events.map((event) => JSON.stringify(event))),
  ]);
}

/** What waits for the commit: none of it happens if the transaction rolls back. */
export interface AfterCommit {
  /**
   * Credentials tied to `event` changed. Other processes hear it by NOTIFY, sent in the transaction
   * (PostgreSQL delivers it only if it commits); this one evicts them after the commit (before it, a
   * concurrent request could cache the old state again). The same event twice counts once.
   */
  invalidate(event: Invalidation): void;
  /** Mail was queued: the outbox worker looks now instead of at its next poll. */
  wakeOutbox(): void;
  commit(hook: () => void): void;
}

/**
 * Runs `work` in one transaction on `caller.em` (audit rows go through `tx` with the change), then,
 * only once it has committed, the hooks `work` added to `after`: each once, in the order added.
 */
export async function transaction<T>(
  caller: Pick<Caller, 'em' | 'runtime'>,
  work: (tx: EntityManager, after: AfterCommit) => Promise<T>,
): Promise<T> {
  // Nested, it would commit a savepoint only, and its hooks would run before the real commit.
  if (caller.em.isInTransaction()) throw new Error('transaction() does not nest: pass tx to the inner work instead');
  const events = new Map<string, Invalidation>();
  const hooks: (() => void)[] = [];
  let open = true;
  const add = (hook: () => void) => {
    // A hook added once the work has returned would miss its NOTIFY, or never run.
    if (!open) throw new Error('after-commit hooks are added while the transaction runs');
    hooks.push(hook);
  };
  const after: AfterCommit = {
    invalidate(event) {
      const key = JSON.stringify(event);
      if (events.has(key)) return;
      add(() => caller.runtime.invalidate(event));
      events.set(key, event);
    },
    wakeOutbox: () => add(() => caller.runtime.outbox.wake()),
    commit: add,
  };
  const result = await caller.em.transactional(async (tx) => {
    const value = await work(tx, after);
    open = false;
    if (events.size) await announce(tx, ...events.values());
    return value;
  });
  for (const hook of hooks) hook();
  return result;
}
