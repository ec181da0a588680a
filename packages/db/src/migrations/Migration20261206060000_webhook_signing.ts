import { Migration } from '@mikro-orm/migrations';

/** Webhook endpoints may ask for Ed25519 signatures (`v1a,`) instead of the HMAC (`v1,`) ones. */
export class Migration20261206060000_webhook_signing extends Migration {

  override name = 'Migration20261206060000_webhook_signing';

  override up(): void | Promise<void> {
    this.addSql(`alter table "webhook_endpoints" add column "signing" text check ("signing" in ('hmac', 'ed25519')) not null default 'hmac';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_endpoints" drop column "signing";`);
  }

}
