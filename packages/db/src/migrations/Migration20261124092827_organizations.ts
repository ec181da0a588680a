import { Migration } from '@mikro-orm/migrations';

export class Migration20261124092827_organizations extends Migration {

  override name = 'Migration20261124092827_organizations';

  override up(): void | Promise<void> {
    this.addSql(`create table "roles" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "key" varchar(255) not null, "name" varchar(255) not null, "description" varchar(255) null, "permissions" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "roles" add constraint "roles_organization_id_key_unique" unique ("organization_id", "key");`);

    this.addSql(`alter table "organizations" add "subscription_status" text not null default 'none';`);
    this.addSql(`alter table "organizations" add constraint "organizations_subscription_status_check" check ("subscription_status" in ('none', 'active', 'canceled'));`);

    this.addSql(`create index "memberships_organization_id_id_index" on "memberships" ("organization_id", "id");`);
    this.addSql(`create index "memberships_organization_id_role_id_index" on "memberships" ("organization_id", "role", "id");`);

    this.addSql(`alter table "roles" add constraint "roles_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "roles" cascade;`);

    this.addSql(`drop index "memberships_organization_id_id_index";`);
    this.addSql(`drop index "memberships_organization_id_role_id_index";`);

    this.addSql(`alter table "organizations" drop constraint "organizations_subscription_status_check";`);
    this.addSql(`alter table "organizations" drop column "subscription_status";`);
  }

}
