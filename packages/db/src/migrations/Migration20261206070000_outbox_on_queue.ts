import { Migration } from '@mikro-orm/migrations';

/**
 * Mail is sent by a graphile-worker job (task `mail`) queued with its row, instead of a worker that
 * claimed due rows by `next_attempt_at`: the job's `run_at` schedules each attempt now, so the column and
 * its index go. A message still pending gets its job here, due when its next attempt was (the queue's
 * schema is migrated before ours: database.ts).
 */
export class Migration20261206070000_outbox_on_queue extends Migration {

  override name = 'Migration20261206070000_outbox_on_queue';

  override up(): void | Promise<void> {
    this.addSql(`select graphile_worker.add_job('mail', json_build_object('messageId', id), run_at := next_attempt_at, max_attempts := 25, job_key := id) from "outbox_messages" where "status" = 'pending';`);
    this.addSql(`drop index if exists "outbox_messages_due_index";`);
    this.addSql(`alter table "outbox_messages" drop column "next_attempt_at";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "outbox_messages" add column "next_attempt_at" timestamptz not null default now();`);
    this.addSql(`create index "outbox_messages_due_index" on "outbox_messages" ("next_attempt_at") where "status" = 'pending';`);
  }

}
