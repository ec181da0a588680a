// Cross-tenant ids: every id-taking procedure (read from the router's input schemas, so a new one needs
// a call in its family's authorization.test.ts), called in the caller's own organization with another
// tenant's child id (member, key, invitation, role, transaction, reservation, service account, team,
// project, domain), is NOT_FOUND and changes nothing there.
import { expect, it } from 'vitest';
import { appRouter } from '../../root.js';
import {
  type SeededAccount,
  seedAccounts,
  seedDelivery,
  seedDomain,
  seedInvitation,
  seedProject,
  seedReservation,
  seedRole,
  seedTeam,
  seedUsage,
  seedWebhook,
} from '../matrix.js';
import { NOT_FOUND, outcomes } from './outcomes.js';
import { as, type Caller, credentialRef, organizationWithOwner, orm } from './setup.js';

/** Another tenant's children, for the calls that take their ids. */
export interface Foreign {
  member: SeededAccount;
  invitationId: string;
  roleId: string;
  usageId: string;
  reservationId: string;
  serviceAccountId: string;
  credentialId: string;
  teamId: string;
  projectId: string;
  domainId: string;
  webhookId: string;
  deliveryId: string;
}

/** A call taking another tenant's child id, in the caller's own organization (`own`). */
export type CrossTenantCall = (c: Caller, own: string, x: Foreign) => Promise<unknown>;

/** The procedures whose input takes the id of something (`…Id`, organizationId aside), read from the router. */
export function idTakingProcedures(): string[] {
  type Schema = { shape?: Record<string, unknown>; unwrap?: () => Schema; _def?: { innerType?: Schema } };
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>;
  return Object.entries(procedures)
    .filter(([, procedure]) =>
      procedure._def.inputs.some((input) => {
        let schema: Schema | undefined = input;
        while (schema && !schema.shape && (schema.unwrap || schema._def?.innerType)) {
          schema = schema.unwrap ? schema.unwrap() : schema._def?.innerType;
        }
        return Object.keys(schema?.shape ?? {}).some((key) => key.endsWith('Id') && key !== 'organizationId');
      }),
    )
    .map(([path]) => path)
    .sort();
}

/** What the other tenant's children look like; none of the calls may change it. */
export async function foreignState(organizationId: string, x: Foreign) {
  const [row] = await orm()
    .em.fork()
    .execute(
      `select u.name, u.status, m.role, m.status as membership_status,
              (select k.key_prefix || ':' || k.name || ':' || coalesce(k.revoked_at::text, 'live') from api_keys k where k.id = ?) as key,
              (select i.status || ':' || i.token_hash from invitations i where i.id = ?) as invitation,
              (select r.name || ':' || array_to_string(r.permissions, ',') from roles r where r.id = ?) as role_row,
              (select count(*)::int from credit_transactions t where t.refund_of = ?) as refunds,
              (select r.status || ':' || r.captured_amount from credit_reservations r where r.id = ?) as reservation,
              (select a.name || ':' || a.role from service_accounts a where a.id = ?) as service_account,
              (select count(*)::int || ':' || min(c.name) from service_account_credentials c where c.service_account_id = ?) as credentials,
              (select t.name || ':' || (select count(*) from team_members tm where tm.team_id = t.id) from teams t where t.id = ?) as team,
              (select p.name || ':' || (select string_agg(b.role, ',') from role_bindings b where b.project_id = p.id) from projects p where p.id = ?) as project,
              (select d.domain || ':' || d.status from domains d where d.id = ?) as domain,
              (select w.url || ':' || coalesce(w.description, '') || ':' || w.enabled || ':' || array_to_string(w.events, ',') from webhook_endpoints w where w.id = ?) as webhook,
              (select d.status || ':' || d.attempts from webhook_deliveries d where d.id = ?) as delivery
         from users u left join memberships m on m.user_id = u.id and m.organization_id = ?
        where u.id = ?`,
      [
        x.member.keyId,
        x.invitationId,
        x.roleId,
        x.usageId,
        x.reservationId,
        x.serviceAccountId,
        x.serviceAccountId,
        x.teamId,
        x.projectId,
        x.domainId,
        x.webhookId,
        x.deliveryId,
        organizationId,
        x.member.userId,
      ],
    );
  return row;
}

/** An organization (with credits) that owns one of every child the cross-tenant calls take the id of. */
export async function foreignTenant() {
  const { organizationId, owner } = await organizationWithOwner({ credits: 10 });
  const [member] = await seedAccounts(orm(), [
    {
      memberOf: { organizationId, role: 'viewer' },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
    },
  ]);
  const foreign: Foreign = {
    member: member as SeededAccount,
    invitationId: await seedInvitation(orm(), organizationId),
    roleId: await seedRole(orm(), organizationId, ['projects:read']),
    usageId: await seedUsage(orm(), organizationId),
    reservationId: await seedReservation(orm(), organizationId),
    ...(await credentialRef(organizationId)),
    teamId: await seedTeam(orm(), organizationId, member?.userId),
    projectId: '',
    domainId: (await seedDomain(orm(), organizationId)).domainId,
    webhookId: await seedWebhook(orm(), organizationId),
    deliveryId: await seedDelivery(orm(), organizationId),
  };
  foreign.projectId = await seedProject(orm(), organizationId, foreign.teamId);
  return { organizationId, owner, foreign };
}

/**
 * The family's cross-tenant checks: every id-taking procedure among `procedures` has a call (named
 * `path` or `path what`) or is exempt with a reason, and every call is NOT_FOUND, by key and by
 * session, leaving the other tenant's children as they were.
 */
export function describeCrossTenant(
  procedures: readonly string[],
  calls: Record<string, CrossTenantCall>,
  exempt: Record<string, string> = {},
) {
  const idTaking = idTakingProcedures().filter((path) => procedures.includes(path));
  if (idTaking.length === 0 && Object.keys(calls).length === 0) return;
  it('has a cross-tenant call for every procedure that takes an id', () => {
    const called = new Set(Object.keys(calls).map((name) => name.split(' ')[0] as string));
    expect(idTaking).toEqual([...new Set([...called, ...Object.keys(exempt)])].sort());
  });

  if (Object.keys(calls).length === 0) return;
  it("another tenant's ids are NOT_FOUND in the caller's own organization, and stay untouched", async () => {
    const caller = await organizationWithOwner();
    const { organizationId, foreign } = await foreignTenant();
    const before = await foreignState(organizationId, foreign);
    const list: [string, () => Promise<unknown>][] = [];
    for (const [name, call] of Object.entries(calls)) {
      list.push([`${name} (key)`, () => call(as(caller.owner.key as string), caller.organizationId, foreign)]);
      list.push([
        `${name} (session)`,
        () => call(as(caller.owner.sessionToken as string, caller.organizationId), caller.organizationId, foreign),
      ]);
    }
    expect(await outcomes(list)).toEqual(list.map(([who]) => `${who}: ${NOT_FOUND}`));
    expect(await foreignState(organizationId, foreign)).toEqual(before);
  });
}
