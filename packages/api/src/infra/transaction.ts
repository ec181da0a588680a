import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventData, EventType } from '../core/events.js';
import type { Caller, Invalidation, Mail, Runtime } from './caller.js';
import { type PendingEvent, pendingEvent, writeEvents } from './events.js';
import { type PendingMail, pendingMail, writeMail } from './mail.js';

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
  /**
   * Sends `message` if and only if the transaction commits: when `work` returns, it is written sealed to
   * the outbox with its job on the queue, in the transaction of the change it announces (infra/mail.ts);
   * the queue's NOTIFY wakes a runner at the commit. Returns the outbox message's id.
   */
  mail(kind: string, message: Mail): string;
  /**
   * Publishes an event of the catalogue (core/events.ts) about `organizationId`, if and only if the
   * transaction commits: it is written in the transaction when `work` returns, with the next
   * `sequence` of the organization, and its webhook deliveries are queued with it (infra/events.ts).
   * Events of one transaction keep the order they were emitted in.
   */
  emit<T extends EventType>(organizationId: string, type: T, data: EventData<T>): void;
  commit(hook: () => void): void;
}

/** What a transaction without a request (systemTransaction) may wait for: no runtime, so no invalidation or mail. */
export type SystemAfterCommit = Pick<AfterCommit, 'commit'>;

export interface TransactionOptions {
  /**
   * On a fork of `caller.em` instead of `caller.em` itself: its own identity map and connection, so
   * the work neither flushes nor sees what the caller's entity manager holds, and may run while that
   * one is busy (in its own transaction, or shared by concurrent work such as a batch of consumes).
   * It commits on its own: an outer transaction of the caller's that later rolls back does not undo it.
   */
  fresh?: boolean;
}

/**
 * Runs `work` in one transaction on `caller.em` (audit rows go through `tx` with the change), then,
 * only once it has committed, the hooks `work` added to `after`: each once, in the order added.
 */
export function transaction<T>(
  caller: Pick<Caller, 'em' | 'runtime'>,
  work: (tx: EntityManager, after: AfterCommit) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return run(options.fresh ? caller.em.fork() : caller.em, caller.runtime, work);
}

/**
 * A transaction for work no request asked for: the bootstrap, workers, the signing keys' rotation.
 * It runs on a fork of `orm.em` and still runs its commit hooks only after the commit; with no
 * runtime at hand, it has nothing to invalidate or mail. Services given a Caller use transaction().
 */
export function systemTransaction<T>(
  orm: { em: EntityManager },
  work: (tx: EntityManager, after: SystemAfterCommit) => Promise<T>,
): Promise<T> {
  return run(orm.em.fork(), null, work);
}

async function run<T>(
  em: EntityManager,
  runtime: Runtime | null,
  work: (tx: EntityManager, after: AfterCommit) => Promise<T>,
): Promise<T> {
  // Nested, it would commit a savepoint only, and its hooks would run before the real commit.
  if (em.isInTransaction()) throw new Error('transaction() does not nest: pass tx to the inner work instead');
  const events = new Map<string, Invalidation>();
  const published: PendingEvent[] = [];
  const mails: PendingMail[] = [];
  const hooks: (() => void)[] = [];
  let open = true;
  const add = (hook: () => void) => {
    // A hook added once the work has returned would miss its NOTIFY, or never run.
    if (!open) throw new Error('after-commit hooks are added while the transaction runs');
    hooks.push(hook);
  };
  const machinery = () => {
    if (!runtime) throw new Error('a system transaction has no runtime to invalidate or mail with');
    return runtime;
  };
  let enqueue = false;
  const result = await em.transactional(async (tx) => {
    const after: AfterCommit = {
      invalidate(event) {
        const key = JSON.stringify(event);
        if (events.has(key)) return;
        const machine = machinery();
        add(() => machine.invalidate(event));
        events.set(key, event);
      },
      mail(kind, message) {
        machinery();
        // Written when the work returns: one asked for later would never be written.
        if (!open) throw new Error('after-commit hooks are added while the transaction runs');
        const mail = pendingMail(kind, message);
        mails.push(mail);
        return mail.id;
      },
      emit(organizationId, type, data) {
        const machine = machinery();
        if (!open) throw new Error('events are emitted while the transaction runs');
        published.push(pendingEvent(organizationId, type, data));
        // Delivery needs the queue's worker; without one (the embedded database) events are only listed.
        enqueue = machine.deliveries;
      },
      commit: add,
    };
    const value = await work(tx, after);
    open = false;
    if (published.length) await writeEvents(tx, published, { enqueue });
    if (mails.length) await writeMail(tx, machinery().mailSecrets, mails);
    if (events.size) await announce(tx, ...events.values());
    return value;
  });
  for (const hook of hooks) hook();
  return result;
}
