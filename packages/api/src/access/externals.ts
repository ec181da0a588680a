/**
 * The organization's memberships and its external collaborators (users holding a role on one of its
 * projects without a membership), as rows shaped like memberships with an `external` flag: SQL for
 * `from … m` in organizations.members. An external's row is keyed by their first binding, so one keyset
 * pages both; they show role `external` and status active.
 */
export const MEMBERS_AND_EXTERNALS = `(
  select m.id, m.organization_id, m.user_id, m.role, m.status, m.created_at, false as external from memberships m
  union all
  select x.id, x.organization_id, x.user_id, 'external', 'active', x.created_at, true from (
    select distinct on (b.organization_id, b.user_id) b.id, b.organization_id, b.user_id, b.created_at
      from role_bindings b
     where b.user_id is not null
       and not exists (select 1 from memberships m where m.organization_id = b.organization_id and m.user_id = b.user_id)
     order by b.organization_id, b.user_id, b.id) x
)`;
