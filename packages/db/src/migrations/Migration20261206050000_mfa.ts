import { Migration } from '@mikro-orm/migrations';

/**
 * Second factors (issue 29): a user's TOTP factor (secret sealed, last accepted time step), single-use
 * recovery codes and sign-in challenges (both stored as SHA-256), and when a session last proved a factor.
 */
export class Migration20261206050000_mfa extends Migration {

  override name = 'Migration20261206050000_mfa';

  override up(): void | Promise<void> {
    this.addSql(`create table "mfa_totp" ("user_id" varchar(255) not null, "secret_sealed" text not null, "confirmed_at" timestamptz null, "last_step" bigint null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "mfa_totp_pkey" primary key ("user_id"));`);
    this.addSql(`alter table "mfa_totp" add constraint "mfa_totp_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create table "mfa_recovery_codes" ("id" varchar(255) not null, "user_id" varchar(255) not null, "code_hash" varchar(255) not null, "used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "mfa_recovery_codes_pkey" primary key ("id"));`);
    this.addSql(`alter table "mfa_recovery_codes" add constraint "mfa_recovery_codes_code_hash_unique" unique ("code_hash");`);
    this.addSql(`create index "mfa_recovery_codes_user_id_index" on "mfa_recovery_codes" ("user_id");`);
    this.addSql(`alter table "mfa_recovery_codes" add constraint "mfa_recovery_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create table "mfa_challenges" ("id" varchar(255) not null, "token_hash" varchar(255) not null, "user_id" varchar(255) not null, "cookie" boolean not null default false, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "mfa_challenges_pkey" primary key ("id"));`);
    this.addSql(`alter table "mfa_challenges" add constraint "mfa_challenges_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "mfa_challenges_user_id_index" on "mfa_challenges" ("user_id");`);
    this.addSql(`alter table "mfa_challenges" add constraint "mfa_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "sessions" add column "mfa_verified_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sessions" drop column "mfa_verified_at";`);
    this.addSql(`drop table if exists "mfa_challenges" cascade;`);
    this.addSql(`drop table if exists "mfa_recovery_codes" cascade;`);
    this.addSql(`drop table if exists "mfa_totp" cascade;`);
  }

}
