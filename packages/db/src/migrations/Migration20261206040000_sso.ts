import { Migration } from '@mikro-orm/migrations';

/**
 * Single sign-on over OIDC: one connection per organization (its client secret sealed under the
 * deployment secret), the sign-ins under way (state → nonce and PKCE verifier, single use, 10 minutes),
 * the identities an IdP vouched for (keyed on connection, issuer and subject, never on email) and the
 * one-time codes a sign-in hands to its redirect_uri (hashed, single use, a minute).
 */
export class Migration20261206040000_sso extends Migration {

  override name = 'Migration20261206040000_sso';

  override up(): void | Promise<void> {
    this.addSql(`create table "sso_connections" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "protocol" text not null default 'oidc', "identifier" varchar(2048) not null, "client_id" varchar(512) not null, "client_secret_sealed" text not null, "metadata" jsonb not null, "default_role" varchar(255) not null, "sso_required" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sso_connections" add constraint "sso_connections_organization_id_unique" unique ("organization_id");`);
    this.addSql(`alter table "sso_connections" add constraint "sso_connections_protocol_check" check ("protocol" in ('oidc', 'saml'));`);
    this.addSql(`alter table "sso_connections" add constraint "sso_connections_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`create table "sso_logins" ("id" varchar(64) not null, "connection_id" varchar(255) not null, "nonce" varchar(255) not null, "code_verifier_sealed" text not null, "redirect_uri" varchar(2048) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sso_logins_expires_at_index" on "sso_logins" ("expires_at");`);
    this.addSql(`alter table "sso_logins" add constraint "sso_logins_connection_id_foreign" foreign key ("connection_id") references "sso_connections" ("id") on delete cascade;`);

    this.addSql(`create table "sso_identities" ("id" varchar(255) not null, "connection_id" varchar(255) not null, "issuer" varchar(2048) not null, "subject" varchar(255) not null, "user_id" varchar(255) not null, "email" varchar(255) null, "created_at" timestamptz not null, "last_login_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "sso_identities" add constraint "sso_identities_connection_issuer_subject_unique" unique ("connection_id", "issuer", "subject");`);
    // One account per organization's connection: a second subject never takes over a linked account.
    this.addSql(`alter table "sso_identities" add constraint "sso_identities_connection_id_user_id_unique" unique ("connection_id", "user_id");`);
    this.addSql(`create index "sso_identities_user_id_index" on "sso_identities" ("user_id");`);
    this.addSql(`alter table "sso_identities" add constraint "sso_identities_connection_id_foreign" foreign key ("connection_id") references "sso_connections" ("id") on delete cascade;`);
    this.addSql(`alter table "sso_identities" add constraint "sso_identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`create table "sso_codes" ("code_hash" varchar(64) not null, "user_id" varchar(255) not null, "organization_id" varchar(255) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("code_hash"));`);
    this.addSql(`create index "sso_codes_expires_at_index" on "sso_codes" ("expires_at");`);
    this.addSql(`alter table "sso_codes" add constraint "sso_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "sso_codes" add constraint "sso_codes_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sso_codes" cascade;`);
    this.addSql(`drop table if exists "sso_identities" cascade;`);
    this.addSql(`drop table if exists "sso_logins" cascade;`);
    this.addSql(`drop table if exists "sso_connections" cascade;`);
  }

}
