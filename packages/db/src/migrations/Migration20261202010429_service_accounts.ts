import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010429_service_accounts extends Migration {

  override name = 'Migration20261202010429_service_accounts';

  override up(): void | Promise<void> {
    this.addSql(`create table "service_accounts" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "name" varchar(255) not null, "description" varchar(255) null, "role" varchar(255) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "service_accounts_organization_id_id_index" on "service_accounts" ("organization_id", "id");`);
    this.addSql(`create index "service_accounts_organization_id_role_index" on "service_accounts" ("organization_id", "role");`);

    this.addSql(`create table "service_account_credentials" ("id" varchar(255) not null, "service_account_id" varchar(255) not null, "organization_id" varchar(255) not null, "client_id" varchar(255) not null, "secret_hash" varchar(255) not null, "name" varchar(255) not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "service_account_credentials" add constraint "service_account_credentials_client_id_unique" unique ("client_id");`);
    this.addSql(`create index "service_account_credentials_service_account_id_id_index" on "service_account_credentials" ("service_account_id", "id");`);

    this.addSql(`create table "signing_keys" ("id" varchar(255) not null, "algorithm" varchar(255) not null, "public_jwk" jsonb not null, "private_key_encrypted" text not null, "retired_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`alter table "service_accounts" add constraint "service_accounts_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`alter table "service_account_credentials" add constraint "service_account_credentials_service_account_id_foreign" foreign key ("service_account_id") references "service_accounts" ("id") on delete cascade;`);
    this.addSql(`alter table "service_account_credentials" add constraint "service_account_credentials_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "service_account_credentials" drop constraint "service_account_credentials_service_account_id_foreign";`);

    this.addSql(`drop table if exists "service_accounts" cascade;`);
    this.addSql(`drop table if exists "service_account_credentials" cascade;`);
    this.addSql(`drop table if exists "signing_keys" cascade;`);
  }

}
