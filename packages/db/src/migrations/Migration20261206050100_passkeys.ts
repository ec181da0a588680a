import { Migration } from '@mikro-orm/migrations';

/** Passkeys (issue 29): users' WebAuthn credentials, and the challenges their options hand out (single use). */
export class Migration20261206050100_passkeys extends Migration {

  override name = 'Migration20261206050100_passkeys';

  override up(): void | Promise<void> {
    this.addSql(`create table "mfa_passkeys" ("id" varchar(255) not null, "user_id" varchar(255) not null, "credential_id" varchar(1024) not null, "public_key" text not null, "counter" bigint not null default 0, "transports" jsonb not null default '[]', "name" varchar(255) not null, "backed_up" boolean not null default false, "last_used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "mfa_passkeys_pkey" primary key ("id"));`);
    this.addSql(`alter table "mfa_passkeys" add constraint "mfa_passkeys_credential_id_unique" unique ("credential_id");`);
    this.addSql(`create index "mfa_passkeys_user_id_index" on "mfa_passkeys" ("user_id");`);
    this.addSql(`alter table "mfa_passkeys" add constraint "mfa_passkeys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create table "webauthn_challenges" ("id" varchar(255) not null, "challenge" varchar(255) not null, "user_id" varchar(255) null, "purpose" text check ("purpose" in ('register', 'authenticate')) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webauthn_challenges_pkey" primary key ("id"));`);
    this.addSql(`alter table "webauthn_challenges" add constraint "webauthn_challenges_challenge_unique" unique ("challenge");`);
    this.addSql(`create index "webauthn_challenges_user_id_index" on "webauthn_challenges" ("user_id");`);
    this.addSql(`alter table "webauthn_challenges" add constraint "webauthn_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webauthn_challenges" cascade;`);
    this.addSql(`drop table if exists "mfa_passkeys" cascade;`);
  }

}
