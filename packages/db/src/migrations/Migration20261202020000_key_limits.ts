import { Migration } from '@mikro-orm/migrations';

export class Migration20261202020000_key_limits extends Migration {

  override name = 'Migration20261202020000_key_limits';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" add "rate_limit_max" int null, add "rate_limit_window_seconds" int null, add "remaining" bigint null;`);
    this.addSql(`create table "api_key_windows" ("key_id" varchar(255) not null, "window_start" timestamptz not null, "used" int not null default 0, primary key ("key_id", "window_start"));`);
    this.addSql(`alter table "api_key_windows" add constraint "api_key_windows_key_id_foreign" foreign key ("key_id") references "api_keys" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_key_windows" cascade;`);
    this.addSql(`alter table "api_keys" drop column "rate_limit_max", drop column "rate_limit_window_seconds", drop column "remaining";`);
  }

}
