/**
 * The two SQL fragments every "who holds what" query is made of, written once so that a change to how
 * roles or bindings are stored is one edit.
 */

/**
 * Joins the custom role (`roles` as `alias`) that the row `holder` holds in its organization: `holder`
 * is any alias with `organization_id` and `role` (a membership, a service account, a role binding, an
 * invitation). A built-in role has no row, so `alias.permissions` is null for it, which is what
 * rolePermissions and bindingPermissions expect (core/authorization.ts, access/bindings.ts).
 */
export const joinRole = (alias: string, holder: string) =>
  `left join roles ${alias} on ${alias}.organization_id = ${holder}.organization_id and ${alias}.key = ${holder}.role`;

/**
 * Whether the role binding `b` (with its team left-joined as `t`) reaches the user `user` (an SQL
 * expression): bound to them, to a team they are on, or to the `everyone` team while `activeMember`
 * (an SQL condition: their membership counts) holds.
 */
export const bindingReaches = (user: string, activeMember: string) =>
  `(b.user_id = ${user}
    or exists (select 1 from team_members tm where tm.team_id = b.team_id and tm.user_id = ${user})
    or (t.is_everyone and ${activeMember}))`;

/**
 * SQL: the user `userIdSql` names has a second factor (a confirmed TOTP or a passkey). One definition
 * for the session's principal, organizations.members and step-up.
 */
export const hasFactorSql = (userIdSql: string) =>
  `(exists (select 1 from mfa_totp t where t.user_id = ${userIdSql} and t.confirmed_at is not null)
    or exists (select 1 from mfa_passkeys k where k.user_id = ${userIdSql}))`;
