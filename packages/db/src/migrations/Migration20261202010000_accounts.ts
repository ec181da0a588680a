import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010000_accounts extends Migration {

  override name = 'Migration20261202010000_accounts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "managed_by" varchar(255) null, add "email_verified" boolean not null default false;`);
    this.addSql(`alter table "users" add constraint "users_managed_by_foreign" foreign key ("managed_by") references "organizations" ("id") on delete set null;`);
    this.addSql(`create index "users_managed_by_index" on "users" ("managed_by");`);
    // Accounts that exist today were accepted under the old rules: they count as verified.
    this.addSql(`update "users" set "email_verified" = true;`);
    // Created by an organization (users.create, preRegister): its audit trail says which.
    this.addSql(`update "users" u set "managed_by" = e."organization_id"
      from "audit_events" e join "organizations" o on o."id" = e."organization_id"
      where e."action" = 'user.created' and e."target_type" = 'user' and e."target_id" = u."id";`);
    // Created by accepting an invitation (no account before): the account and the acceptance share a transaction.
    this.addSql(`update "users" u set "managed_by" = i."organization_id"
      from "invitations" i join "organizations" o on o."id" = i."organization_id"
      where u."managed_by" is null and i."accepted_by" = u."id"
        and abs(extract(epoch from (u."created_at" - i."accepted_at"))) < 5;`);

    this.addSql(`alter table "memberships" add "status" text not null default 'active';`);
    this.addSql(`alter table "memberships" add constraint "memberships_status_check" check ("status" in ('active', 'deactivated', 'archived'));`);

    this.addSql(`alter table "organizations" add "suspended_reason" varchar(255) null;`);

    this.addSql(`alter table "api_keys" alter column "organization_id" drop not null;`);
    this.addSql(`alter table "api_keys" add "parent_key_id" varchar(255) null;`);
    this.addSql(`create index "api_keys_parent_key_id_index" on "api_keys" ("parent_key_id");`);

    this.addSql(`alter table "password_reset_tokens" add "purpose" text not null default 'reset';`);
    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_purpose_check" check ("purpose" in ('reset', 'verify'));`);

    this.addSql(`alter table "audit_events" add "actor_platform" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_events" drop column "actor_platform";`);
    this.addSql(`alter table "password_reset_tokens" drop column "purpose";`);
    this.addSql(`delete from "api_keys" where "organization_id" is null;`);
    this.addSql(`alter table "api_keys" drop column "parent_key_id";`);
    this.addSql(`alter table "api_keys" alter column "organization_id" set not null;`);
    this.addSql(`alter table "organizations" drop column "suspended_reason";`);
    this.addSql(`alter table "memberships" drop column "status";`);
    this.addSql(`alter table "users" drop column "managed_by", drop column "email_verified";`);
  }

}
