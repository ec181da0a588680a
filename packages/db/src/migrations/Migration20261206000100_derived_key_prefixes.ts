import { Migration } from '@mikro-orm/migrations';

/**
 * Key prefixes follow from the key's secret (api-keys/format.ts), so a presented key whose prefix does not
 * is refused without a lookup. The keys made before keep their random prefixes: marked legacy, and looked up
 * as before. A row written without the flag (a process of the previous version, still running during an
 * upgrade) is legacy too.
 */
export class Migration20261206000100_derived_key_prefixes extends Migration {

  override name = 'Migration20261206000100_derived_key_prefixes';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" add column "legacy_prefix" boolean not null default true;`);
    this.addSql(`create index "api_keys_legacy_prefix_index" on "api_keys" ("id") where "legacy_prefix";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "api_keys_legacy_prefix_index";`);
    this.addSql(`alter table "api_keys" drop column "legacy_prefix";`);
  }

}
