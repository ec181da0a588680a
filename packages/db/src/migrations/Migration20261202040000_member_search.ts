import { Migration } from '@mikro-orm/migrations';

/**
 * People search by any word: member_search_terms holds, per membership, the lower-cased words a
 * member is found by (see MemberSearchTerm). Triggers keep it in step with every write path, the
 * set-based seeds of the benchmarks included: memberships add theirs (one statement however many
 * rows), a changed email or name rewrites the user's, and a removed membership takes its rows along
 * (foreign key cascade).
 */
export class Migration20261202040000_member_search extends Migration {

  override name = 'Migration20261202040000_member_search';

  override up(): void | Promise<void> {
    this.addSql(`create table "member_search_terms" ("organization_id" varchar(255) not null, "rank" smallint not null, "term" text collate "C" not null, "membership_id" varchar(255) not null, primary key ("organization_id", "rank", "term", "membership_id"));`);
    this.addSql(`create index "member_search_terms_membership_id_index" on "member_search_terms" ("membership_id");`);
    this.addSql(`alter table "member_search_terms" add constraint "member_search_terms_membership_id_foreign" foreign key ("membership_id") references "memberships" ("id") on delete cascade;`);

    // Rank 0: the whole email and the whole name (a first word is a prefix of them, so it needs no row
    // of its own). Rank 1: every later word of the name and of the email's local part, and the domain.
    // Terms are cut to 200 characters to stay far inside a btree entry.
    this.addSql(`create function member_search_terms_of(email text, name text) returns table (rank smallint, term text)
      language sql immutable parallel safe as $$
        select distinct s.rank::smallint, left(s.term, 200) from (
          select 0 as rank, lower(email) as term
          union all select 0, lower(name)
          union all select 1, w.word from regexp_split_to_table(lower(name), '[^[:alnum:]]+') with ordinality as w(word, n) where w.n > 1
          union all select 1, w.word from regexp_split_to_table(split_part(lower(email), '@', 1), '[^[:alnum:]]+') with ordinality as w(word, n) where w.n > 1
          union all select 1, split_part(lower(email), '@', 2)
        ) s where s.term <> ''
      $$;`);
    this.addSql(`create function memberships_add_search_terms() returns trigger language plpgsql as $$
      begin
        insert into member_search_terms (organization_id, rank, term, membership_id)
        select i.organization_id, t.rank, t.term, i.id
          from inserted i join users u on u.id = i.user_id cross join lateral member_search_terms_of(u.email, u.name) t;
        return null;
      end $$;`);
    this.addSql(`create trigger memberships_add_search_terms after insert on memberships
      referencing new table as inserted for each statement execute function memberships_add_search_terms();`);
    this.addSql(`create function users_rewrite_search_terms() returns trigger language plpgsql as $$
      begin
        delete from member_search_terms where membership_id in (select id from memberships where user_id = new.id);
        insert into member_search_terms (organization_id, rank, term, membership_id)
        select m.organization_id, t.rank, t.term, m.id
          from memberships m cross join lateral member_search_terms_of(new.email, new.name) t where m.user_id = new.id;
        return null;
      end $$;`);
    this.addSql(`create trigger users_rewrite_search_terms after update of email, name on users for each row
      when (old.email is distinct from new.email or old.name is distinct from new.name)
      execute function users_rewrite_search_terms();`);
    this.addSql(`insert into member_search_terms (organization_id, rank, term, membership_id)
      select m.organization_id, t.rank, t.term, m.id
        from memberships m join users u on u.id = m.user_id cross join lateral member_search_terms_of(u.email, u.name) t;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists users_rewrite_search_terms on users;`);
    this.addSql(`drop trigger if exists memberships_add_search_terms on memberships;`);
    this.addSql(`drop function if exists users_rewrite_search_terms();`);
    this.addSql(`drop function if exists memberships_add_search_terms();`);
    this.addSql(`drop function if exists member_search_terms_of(text, text);`);
    this.addSql(`drop table if exists "member_search_terms" cascade;`);
  }

}
