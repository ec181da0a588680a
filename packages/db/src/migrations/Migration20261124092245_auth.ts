import { Migration } from '@mikro-orm/migrations';

export class Migration20261124092245_auth extends Migration {

  override name = 'Migration20261124092245_auth';

  override up(): void | Promise<void> {
    this.addSql(`create table "deployment_settings" ("key" varchar(255) not null, "value" text not null, "created_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "rate_limits" ("bucket" varchar(255) not null, "count" int not null, "reset_at" timestamptz not null, primary key ("bucket"));`);

    this.addSql(`create table "password_reset_tokens" ("id" varchar(255) not null, "token_hash" varchar(255) not null, "user_id" varchar(255) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_reset_tokens_user_id_index" on "password_reset_tokens" ("user_id");`);

    this.addSql(`alter table "api_keys" add "previous_key_prefix" varchar(255) null, add "previous_secret_hash" varchar(255) null, add "previous_valid_until" timestamptz null, add "rotated_at" timestamptz null;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_previous_key_prefix_unique" unique ("previous_key_prefix");`);

    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "deployment_settings" cascade;`);
    this.addSql(`drop table if exists "rate_limits" cascade;`);
    this.addSql(`drop table if exists "password_reset_tokens" cascade;`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_previous_key_prefix_unique";`);
    this.addSql(`alter table "api_keys" drop column "previous_key_prefix", drop column "previous_secret_hash", drop column "previous_valid_until", drop column "rotated_at";`);
  }

}
