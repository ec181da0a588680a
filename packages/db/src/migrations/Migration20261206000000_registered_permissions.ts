import { Migration } from '@mikro-orm/migrations';

/**
 * Permissions of the integrator's own. Deleting one looks for the roles and keys that hold it, so the
 * arrays it is searched in get GIN indexes (`permissions @> array[key]`).
 */
export class Migration20261206000000_registered_permissions extends Migration {

  override name = 'Migration20261206000000_registered_permissions';

  override up(): void | Promise<void> {
    this.addSql(`create table "registered_permissions" ("key" varchar(255) not null, "description" varchar(255) null, "granted_to" text[] not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("key"));`);
    this.addSql(`create index "roles_permissions_gin" on "roles" using gin ("permissions");`);
    this.addSql(`create index "api_keys_scopes_gin" on "api_keys" using gin ("scopes");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "api_keys_scopes_gin";`);
    this.addSql(`drop index "roles_permissions_gin";`);
    this.addSql(`drop table "registered_permissions";`);
  }

}
