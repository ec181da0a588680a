import { Migration } from '@mikro-orm/migrations';

export class Migration20261124094514_search extends Migration {

  override name = 'Migration20261124094514_search';

  override up(): void | Promise<void> {
    this.addSql(`create index "users_email_prefix_index" on "users" (lower("email") text_pattern_ops);`);
    this.addSql(`create index "users_name_prefix_index" on "users" (lower("name") text_pattern_ops);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "users_email_prefix_index";`);
    this.addSql(`drop index "users_name_prefix_index";`);
  }

}
