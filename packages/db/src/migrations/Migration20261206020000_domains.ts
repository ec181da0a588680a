import { Migration } from '@mikro-orm/migrations';

/**
 * An organization's domains, proven by a DNS TXT record. One domain is verified by at most one
 * organization (the partial unique index); any number may have a pending or failed claim to it.
 */
export class Migration20261206020000_domains extends Migration {

  override name = 'Migration20261206020000_domains';

  override up(): void | Promise<void> {
    this.addSql(`create table "domains" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "domain" varchar(255) not null, "status" text not null default 'pending', "token" varchar(255) not null, "verified_at" timestamptz null, "checked_at" timestamptz null, "check_error" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "domains_organization_id_id_index" on "domains" ("organization_id", "id");`);
    this.addSql(`alter table "domains" add constraint "domains_organization_id_domain_unique" unique ("organization_id", "domain");`);
    this.addSql(`create unique index "domains_verified_unique" on "domains" ("domain") where "status" = 'verified';`);
    // Re-verification reads the verified domains due for a check.
    this.addSql(`create index "domains_verified_checked_at_index" on "domains" ("checked_at") where "status" = 'verified';`);
    this.addSql(`alter table "domains" add constraint "domains_status_check" check ("status" in ('pending', 'verified', 'failed'));`);
    this.addSql(`alter table "domains" add constraint "domains_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "domains" cascade;`);
  }

}
