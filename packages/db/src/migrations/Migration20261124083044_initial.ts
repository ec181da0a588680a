import { Migration } from '@mikro-orm/migrations';

export class Migration20261124083044_initial extends Migration {

  override name = 'Migration20261124083044_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_events" ("id" varchar(255) not null, "organization_id" varchar(255) null, "actor_type" text not null, "actor_id" varchar(255) null, "action" varchar(255) not null, "target_type" varchar(255) null, "target_id" varchar(255) null, "changes" jsonb null, "ip" varchar(255) null, "request_id" varchar(255) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_events_organization_id_id_index" on "audit_events" ("organization_id", "id");`);
    this.addSql(`create index "audit_events_target_id_index" on "audit_events" ("target_id");`);

    this.addSql(`create table "organizations" ("id" varchar(255) not null, "name" varchar(255) not null, "label" varchar(255) not null, "namespace" varchar(255) not null, "description" varchar(255) null, "status" text not null default 'active', "plan" varchar(255) not null default 'free', "settings" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "organizations" add constraint "organizations_label_unique" unique ("label");`);
    this.addSql(`alter table "organizations" add constraint "organizations_namespace_unique" unique ("namespace");`);

    this.addSql(`create table "users" ("id" varchar(255) not null, "email" varchar(255) not null, "name" varchar(255) not null, "username" varchar(255) null, "password_hash" varchar(255) null, "platform_role" text not null default 'user', "status" text not null default 'active', "organization_id" varchar(255) null, "avatar_url" varchar(255) null, "profile" jsonb not null default '{}', "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`create index "users_organization_id_index" on "users" ("organization_id");`);
    this.addSql(`create unique index "users_email_lower_unique" on "users" (lower("email"));`);

    this.addSql(`create table "sessions" ("id" varchar(255) not null, "token_hash" varchar(255) not null, "user_id" varchar(255) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "ip" varchar(255) null, "user_agent" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);

    this.addSql(`create table "memberships" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "user_id" varchar(255) not null, "role" varchar(255) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`alter table "memberships" add constraint "memberships_organization_id_user_id_unique" unique ("organization_id", "user_id");`);

    this.addSql(`create table "api_keys" ("id" varchar(255) not null, "key_prefix" varchar(255) not null, "secret_hash" varchar(255) not null, "name" varchar(255) not null, "user_id" varchar(255) not null, "organization_id" varchar(255) not null, "scopes" text[] null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "last_used_ip" varchar(255) null, "revoked_at" timestamptz null, "revoked_by" varchar(255) null, "metadata" jsonb not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_prefix_unique" unique ("key_prefix");`);
    this.addSql(`create index "api_keys_user_id_index" on "api_keys" ("user_id");`);
    this.addSql(`create index "api_keys_organization_id_user_id_id_index" on "api_keys" ("organization_id", "user_id", "id");`);

    this.addSql(`alter table "audit_events" add constraint "audit_events_actor_type_check" check ("actor_type" in ('user', 'apiKey', 'serviceAccount', 'system'));`);

    this.addSql(`alter table "organizations" add constraint "organizations_status_check" check ("status" in ('active', 'suspended'));`);

    this.addSql(`alter table "users" add constraint "users_platform_role_check" check ("platform_role" in ('user', 'admin'));`);
    this.addSql(`alter table "users" add constraint "users_status_check" check ("status" in ('active', 'invited', 'deactivated', 'archived'));`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "memberships" add constraint "memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "memberships" drop constraint "memberships_organization_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_organization_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "memberships" drop constraint "memberships_user_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_user_id_foreign";`);

    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "memberships" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
  }

}
