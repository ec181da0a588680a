import { Migration } from '@mikro-orm/migrations';

export class Migration20261202030000_teams_projects extends Migration {

  override name = 'Migration20261202030000_teams_projects';

  override up(): void | Promise<void> {
    this.addSql(`create table "projects" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "name" varchar(255) not null, "description" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "projects_organization_id_id_index" on "projects" ("organization_id", "id");`);

    this.addSql(`create table "teams" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "name" varchar(255) not null, "description" varchar(255) null, "is_everyone" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "teams_organization_id_id_index" on "teams" ("organization_id", "id");`);
    this.addSql(`create unique index "teams_everyone_unique" on "teams" ("organization_id") where "is_everyone";`);
    this.addSql(`alter table "teams" add constraint "teams_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "role_bindings" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "team_id" varchar(255) null, "user_id" varchar(255) null, "project_id" varchar(255) null, "role" varchar(255) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "role_bindings_user_id_index" on "role_bindings" ("user_id");`);
    this.addSql(`create index "role_bindings_organization_id_team_id_index" on "role_bindings" ("organization_id", "team_id");`);
    this.addSql(`create index "role_bindings_project_id_id_index" on "role_bindings" ("project_id", "id");`);
    this.addSql(`create unique index "role_bindings_principal_resource_unique" on "role_bindings" ("organization_id", coalesce("team_id", ''), coalesce("user_id", ''), coalesce("project_id", ''));`);

    this.addSql(`create table "team_members" ("team_id" varchar(255) not null, "user_id" varchar(255) not null, "membership_id" varchar(255) not null, "organization_id" varchar(255) not null, "role" text not null default 'member', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("team_id", "user_id"));`);
    this.addSql(`create index "team_members_membership_id_index" on "team_members" ("membership_id");`);
    this.addSql(`create index "team_members_organization_id_user_id_index" on "team_members" ("organization_id", "user_id");`);

    this.addSql(`alter table "projects" add constraint "projects_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`alter table "teams" add constraint "teams_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`alter table "role_bindings" add constraint "role_bindings_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "role_bindings" add constraint "role_bindings_team_id_foreign" foreign key ("team_id") references "teams" ("id") on delete cascade;`);
    this.addSql(`alter table "role_bindings" add constraint "role_bindings_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "role_bindings" add constraint "role_bindings_project_id_foreign" foreign key ("project_id") references "projects" ("id") on delete cascade;`);
    this.addSql(`alter table "role_bindings" add constraint "role_bindings_one_principal" check ((team_id is null) <> (user_id is null));`);

    this.addSql(`alter table "team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_membership_id_foreign" foreign key ("membership_id") references "memberships" ("id") on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "team_members" add constraint "team_members_role_check" check ("role" in ('maintainer', 'member'));`);

    // Project invitations (to collaborate, not to join): one pending per project and email, beside the
    // organization's one pending per email.
    this.addSql(`alter table "invitations" add "project_id" varchar(255) null;`);
    this.addSql(`alter table "invitations" add constraint "invitations_project_id_foreign" foreign key ("project_id") references "projects" ("id") on delete cascade;`);
    this.addSql(`drop index "invitations_pending_email_unique";`);
    this.addSql(`create unique index "invitations_pending_email_unique" on "invitations" ("organization_id", coalesce("project_id", ''), lower("email")) where "status" = 'pending';`);

    // Every existing organization gets its built-in `everyone` team (new ones get it when first asked for).
    // The id's time part is zero, so it sorts first among the organization's teams; md5 is hex, within the id alphabet.
    this.addSql(`insert into "teams" ("id", "organization_id", "name", "description", "is_everyone", "created_at", "updated_at")
      select 'team_0000000000' || substr(md5(o.id), 1, 16), o.id, 'everyone', 'Every member of the organization', true, now(), now()
        from "organizations" o;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "invitations" where "project_id" is not null;`);
    this.addSql(`drop index "invitations_pending_email_unique";`);
    this.addSql(`create unique index "invitations_pending_email_unique" on "invitations" ("organization_id", lower("email")) where "status" = 'pending';`);
    this.addSql(`alter table "invitations" drop constraint "invitations_project_id_foreign";`);
    this.addSql(`alter table "invitations" drop column "project_id";`);
    this.addSql(`alter table "role_bindings" drop constraint "role_bindings_project_id_foreign";`);
    this.addSql(`alter table "role_bindings" drop constraint "role_bindings_team_id_foreign";`);
    this.addSql(`alter table "team_members" drop constraint "team_members_team_id_foreign";`);

    this.addSql(`drop table if exists "projects" cascade;`);
    this.addSql(`drop table if exists "teams" cascade;`);
    this.addSql(`drop table if exists "role_bindings" cascade;`);
    this.addSql(`drop table if exists "team_members" cascade;`);
  }

}
