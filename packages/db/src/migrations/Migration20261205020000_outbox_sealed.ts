import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox messages are stored sealed: one `payload` column (subject and bodies, encrypted by the
 * application under a key derived from GATEHOUSE_SECRET) instead of plain `subject`, `text_body` and
 * `html_body`. SQL cannot seal (the key is not in the database when GATEHOUSE_SECRET is set), so a
 * message still pending here is given up as dead, its plain text dropped with the columns: a reset or
 * invitation asked for again is mailed afresh.
 */
export class Migration20261205020000_outbox_sealed extends Migration {

  override name = 'Migration20261205020000_outbox_sealed';

  override up(): void | Promise<void> {
    this.addSql(`update "outbox_messages" set "status" = 'dead', "last_error" = 'queued before outbox encryption: not sent; ask for it again' where "status" = 'pending';`);
    this.addSql(`alter table "outbox_messages" drop column "subject", drop column "text_body", drop column "html_body";`);
    this.addSql(`alter table "outbox_messages" add column "payload" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "outbox_messages" drop column "payload";`);
    this.addSql(`alter table "outbox_messages" add column "subject" varchar(255) not null default '', add column "text_body" text not null default '', add column "html_body" text null;`);
  }

}
