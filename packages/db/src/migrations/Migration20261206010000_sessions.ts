import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions slide: `last_seen_at` is when the session was last used (written at most once a minute),
 * and `expires_at` moves forward from it up to an absolute cap from `created_at` (sessions/sessions.ts).
 * Existing sessions were last seen when they were made.
 */
export class Migration20261206010000_sessions extends Migration {

  override name = 'Migration20261206010000_sessions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "sessions" add column "last_seen_at" timestamptz null;`);
    this.addSql(`update "sessions" set "last_seen_at" = "created_at";`);
    // sessions.list: a user's live sessions, newest first.
    this.addSql(`create index "sessions_user_id_id_index" on "sessions" ("user_id", "id" desc) where "revoked_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "sessions_user_id_id_index";`);
    this.addSql(`alter table "sessions" drop column "last_seen_at";`);
  }

}
