import { Migration } from '@mikro-orm/migrations';

/**
 * An organization's events (the integrators' feed, numbered per organization without gaps), the counter
 * that numbers them, webhook endpoints and their deliveries. The job queue that carries deliveries
 * (graphile-worker) keeps its own schema, migrated by `migrate()` right after these.
 */
export class Migration20261206030000_events extends Migration {

  override name = 'Migration20261206030000_events';

  override up(): void | Promise<void> {
    this.addSql(`create table "organization_event_counters" ("organization_id" varchar(255) not null, "last_sequence" bigint not null default 0, primary key ("organization_id"));`);
    this.addSql(`alter table "organization_event_counters" add constraint "organization_event_counters_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`create table "events" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "sequence" bigint not null, "type" varchar(255) not null, "data" jsonb not null, "occurred_at" timestamptz not null, primary key ("id"));`);
    // The list's keyset (organization, sequence) and the proof of "no duplicates".
    this.addSql(`alter table "events" add constraint "events_organization_id_sequence_unique" unique ("organization_id", "sequence");`);
    this.addSql(`alter table "events" add constraint "events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`create table "webhook_endpoints" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "url" text not null, "description" varchar(255) null, "events" text[] not null, "secret" text not null, "previous_secret" text null, "previous_secret_expires_at" timestamptz null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "webhook_endpoints_organization_id_id_index" on "webhook_endpoints" ("organization_id", "id");`);
    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_events_not_empty" check (cardinality("events") > 0);`);
    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`create table "webhook_deliveries" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "webhook_id" varchar(255) not null, "event_id" varchar(255) not null, "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null default 'pending', "attempts" int not null default 0, "response_status" int null, "latency_ms" int null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_webhook_id_id_index" on "webhook_deliveries" ("webhook_id", "id");`);
    this.addSql(`create index "webhook_deliveries_event_id_index" on "webhook_deliveries" ("event_id");`);
    this.addSql(`create index "webhook_deliveries_organization_id_id_index" on "webhook_deliveries" ("organization_id", "id");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhook_endpoints" ("id") on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "organization_event_counters" cascade;`);
  }

}
