import { Migration } from '@mikro-orm/migrations';

export class Migration20261124131242_invitations_outbox_credits extends Migration {

  override name = 'Migration20261124131242_invitations_outbox_credits';

  override up(): void | Promise<void> {
    this.addSql(`create table "credit_transactions" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "type" text not null, "amount" bigint not null, "balance_after" bigint not null, "idempotency_key" varchar(255) not null, "actor_type" varchar(255) not null, "actor_id" varchar(255) null, "reason" varchar(255) null, "reference" varchar(255) null, "metadata" jsonb not null default '{}', "refund_of" varchar(255) null, "reservation_id" varchar(255) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "credit_transactions" add constraint "credit_transactions_refund_of_unique" unique ("refund_of");`);
    this.addSql(`create index "credit_transactions_organization_id_id_index" on "credit_transactions" ("organization_id", "id");`);
    this.addSql(`create index "credit_transactions_organization_id_type_id_index" on "credit_transactions" ("organization_id", "type", "id");`);
    this.addSql(`alter table "credit_transactions" add constraint "credit_transactions_organization_id_idempotency_key_unique" unique ("organization_id", "idempotency_key");`);

    this.addSql(`create table "credit_reservations" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "amount" bigint not null, "captured_amount" bigint not null default '0', "status" text not null default 'active', "idempotency_key" varchar(255) not null, "actor_type" varchar(255) not null, "actor_id" varchar(255) null, "expires_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "credit_reservations_organization_id_status_expires_at_index" on "credit_reservations" ("organization_id", "status", "expires_at");`);
    this.addSql(`alter table "credit_reservations" add constraint "credit_reservations_organization_id_idempotency_key_unique" unique ("organization_id", "idempotency_key");`);

    this.addSql(`create table "credit_accounts" ("organization_id" varchar(255) not null, "balance" bigint not null default '0', "held" bigint not null default '0', "total_used" bigint not null default '0', "total_purchased" bigint not null default '0', "currency" varchar(255) not null default 'credits', "low_balance_alerted" boolean not null default false, "updated_at" timestamptz not null, primary key ("organization_id"));`);

    this.addSql(`create table "outbox_messages" ("id" varchar(255) not null, "kind" varchar(255) not null, "to_address" varchar(255) not null, "subject" varchar(255) not null, "text_body" text not null, "html_body" text null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    // The worker's scan touches only what is still to send.
    this.addSql(`create index "outbox_messages_due_index" on "outbox_messages" ("next_attempt_at") where "status" = 'pending';`);

    this.addSql(`create table "invitations" ("id" varchar(255) not null, "organization_id" varchar(255) not null, "email" varchar(255) not null, "role" varchar(255) not null, "inviter_id" varchar(255) null, "token_hash" varchar(255) not null, "status" text not null default 'pending', "declined_at" timestamptz null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "invitations_organization_id_id_index" on "invitations" ("organization_id", "id");`);
    this.addSql(`create index "invitations_organization_id_status_id_index" on "invitations" ("organization_id", "status", "id");`);

    this.addSql(`alter table "credit_transactions" add constraint "credit_transactions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "credit_transactions" add constraint "credit_transactions_type_check" check ("type" in ('purchase', 'grant', 'usage', 'refund', 'adjustment', 'expiry'));`);

    this.addSql(`alter table "credit_reservations" add constraint "credit_reservations_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "credit_reservations" add constraint "credit_reservations_status_check" check ("status" in ('active', 'captured', 'released', 'expired'));`);

    this.addSql(`alter table "credit_accounts" add constraint "credit_accounts_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "outbox_messages" add constraint "outbox_messages_status_check" check ("status" in ('pending', 'sent', 'dead'));`);

    this.addSql(`alter table "invitations" add constraint "invitations_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "invitations" add constraint "invitations_inviter_id_foreign" foreign key ("inviter_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "invitations" add constraint "invitations_status_check" check ("status" in ('pending', 'accepted', 'cancelled'));`);

    // Expired rate-limit buckets are deleted by reset_at.
    this.addSql(`create index "rate_limits_reset_at_index" on "rate_limits" ("reset_at");`);

    // One pending invitation per organization and email, whatever the number of parallel invites.
    this.addSql(`create unique index "invitations_pending_email_unique" on "invitations" ("organization_id", lower("email")) where "status" = 'pending';`);
    // The database refuses an overdraft even if a code path forgot to check.
    this.addSql(`alter table "credit_accounts" add constraint "credit_accounts_amounts_check" check ("balance" >= 0 and "held" >= 0 and "held" <= "balance");`);
    this.addSql(`alter table "credit_transactions" add constraint "credit_transactions_amount_check" check ("amount" <> 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "rate_limits_reset_at_index";`);
    this.addSql(`drop table if exists "credit_transactions" cascade;`);
    this.addSql(`drop table if exists "credit_reservations" cascade;`);
    this.addSql(`drop table if exists "credit_accounts" cascade;`);
    this.addSql(`drop table if exists "outbox_messages" cascade;`);
    this.addSql(`drop table if exists "invitations" cascade;`);
  }

}
