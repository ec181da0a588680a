// The database, callers and actors every file of the authorization matrix shares. Each test file that
// calls `useMatrixRuntime` gets its own database (vitest loads this module once per file).
import { randomBytes } from 'node:crypto';
import type { PlatformPermission } from '../../core/permissions.js';
import { bearer, callerFor, useTestRuntime } from '../fixtures.js';
import {
  type SeededAccount,
  seedAccounts,
  seedBalance,
  seedCollaborator,
  seedInvitation,
  seedOrganization,
  seedProject,
  seedReservation,
  seedRole,
  seedServiceAccount,
  seedTeam,
  seedUsage,
  suspendOrganization,
} from '../matrix.js';

let env: ReturnType<typeof useTestRuntime> | undefined;

/**
 * Gives the calling test file its own database and runtime, which everything below acts on; once per
 * file, however many families it runs (the REST run of apps/server imports them all).
 */
export function useMatrixRuntime() {
  // Loopback URLs: sso.enable discovers the stub issuer of testing/oidc.ts on 127.0.0.1.
  env ??= useTestRuntime({ allowLoopbackUrls: true });
  return env;
}

function theEnv() {
  if (!env) throw new Error('call useMatrixRuntime() at the top of the test file');
  return env;
}
export const orm = () => theEnv().db.orm;
export const runtime = () => theEnv().runtime;

export type Caller = ReturnType<typeof callerFor>;

/** A caller authenticated by a session (optionally naming the organization to act in) or an API key. */
export const as = (credential: string, organization?: string) =>
  callerFor(runtime(), {
    ...bearer(credential),
    ...(organization ? { 'x-gatehouse-organization': organization } : {}),
  });
export const anonymous = () => callerFor(runtime());

export const PASSWORD = 'a sturdy passphrase 42';
/** The built-in roles a service account may hold (never owner). */
export const machineRoles = ['admin', 'member', 'viewer'] as const;
/** What the gates' external collaborator holds on the projects the fixture makes. */
export const EXTERNAL_ROLE = 'project_viewer';

/** What a gate check needs of an organization; every child is made fresh on demand. */
export interface Fixture {
  organizationId: string;
  /** A new managed viewer of the organization, with a key. */
  member(): Promise<SeededAccount>;
  role(): Promise<string>;
  invitation(): Promise<string>;
  usage(): Promise<string>;
  reservation(): Promise<string>;
  /** A new organization with an owner (for the platform router). */
  organization(): Promise<string>;
  /** A new team (with a new viewer in it when asked). */
  team(withMember?: boolean): Promise<{ teamId: string; userId: string | null }>;
  /** A new project (with a new team as its collaborator when asked). */
  project(withTeam?: boolean): Promise<{ projectId: string; teamId: string | null }>;
  /** A new account of the organization (for the platform router). */
  account(): Promise<SeededAccount>;
  /** A new registered permission nothing holds (for the platform router). */
  registeredPermission(): Promise<string>;
}

/** A new organization whose owner is an ordinary user (not a platform admin), with a key and a session. */
export async function organizationWithOwner({ credits = 0 } = {}) {
  const organizationId = await seedOrganization(orm());
  const [owner] = await seedAccounts(orm(), [
    { memberOf: { organizationId, role: 'owner' }, key: { organizationId, scopes: null }, session: true },
  ]);
  if (credits) await seedBalance(orm(), organizationId, credits);
  return { organizationId, owner: owner as SeededAccount };
}

/**
 * What gate checks make in the organization, fresh for each call. With `collaborator`, every project it
 * makes has that user as an external collaborator (project_viewer), as the gates' external actor.
 */
export function fixtureFor(organizationId: string, { collaborator }: { collaborator?: string } = {}): Fixture {
  return {
    organizationId,
    member: async () =>
      (
        await seedAccounts(orm(), [
          {
            memberOf: { organizationId, role: 'viewer' },
            managedBy: organizationId,
            key: { organizationId, scopes: null },
          },
        ])
      )[0] as SeededAccount,
    role: () => seedRole(orm(), organizationId, ['projects:read']),
    invitation: () => seedInvitation(orm(), organizationId),
    usage: () => seedUsage(orm(), organizationId),
    reservation: () => seedReservation(orm(), organizationId),
    organization: async () => (await organizationWithOwner()).organizationId,
    team: async (withMember = false) => {
      const userId = withMember ? (await fixtureFor(organizationId).member()).userId : null;
      return { teamId: await seedTeam(orm(), organizationId, userId ?? undefined), userId };
    },
    project: async (withTeam = false) => {
      const teamId = withTeam ? await seedTeam(orm(), organizationId) : null;
      const projectId = await seedProject(orm(), organizationId, teamId ?? undefined);
      if (collaborator) await seedCollaborator(orm(), organizationId, projectId, collaborator);
      return { projectId, teamId };
    },
    account: async () =>
      (
        await seedAccounts(orm(), [{ memberOf: { organizationId, role: 'member' }, managedBy: organizationId }])
      )[0] as SeededAccount,
    registeredPermission: async () => {
      const key = `fixture${randomBytes(5).toString('hex')}:read`;
      await orm()
        .em.fork()
        .execute(
          `insert into registered_permissions (key, granted_to, created_at, updated_at) values (?, '{}', now(), now())`,
          [key],
        );
      return key;
    },
  };
}

/** A service account of the organization, as the procedures naming one take it. */
export const accountRef = async (organizationId: string) => {
  const { serviceAccountId } = await seedServiceAccount(orm(), organizationId);
  return { organizationId, serviceAccountId };
};
/** A credential of a new service account of the organization, as the procedures naming one take it. */
export const credentialRef = async (organizationId: string) => {
  const { serviceAccountId, credentialId } = await seedServiceAccount(orm(), organizationId);
  return { organizationId, serviceAccountId, credentialId };
};

/** A platform admin who is a member of no organization but their own, with a session and an org-bound key there. */
export async function platformAdmin() {
  const organizationId = await seedOrganization(orm());
  const [admin] = await seedAccounts(orm(), [
    {
      platformAdmin: true,
      memberOf: { organizationId, role: 'owner' },
      key: { organizationId, scopes: null },
      session: true,
    },
  ]);
  return { organizationId, admin: admin as SeededAccount };
}

/** A platform key (bound to no organization) made with a platform admin's session, scoped as given. */
async function platformKey(sessionToken: string, scopes: PlatformPermission[]): Promise<string> {
  return (await as(sessionToken).platform.createKey({ name: 'matrix platform key', scopes })).key;
}

let stranger: { organizationId: string; owner: SeededAccount } | undefined;
/** Another tenant: an organization and its owner, made once per file. */
export async function theStranger() {
  stranger ??= await organizationWithOwner();
  return stranger;
}

let operator: { organizationId: string; admin: SeededAccount; keys: Map<string, string> } | undefined;
/** The platform admin (a member of their own organization only) and their platform keys by scopes. */
export async function theOperator() {
  operator ??= { ...(await platformAdmin()), keys: new Map() };
  return operator;
}
export async function operatorKey(scopes: PlatformPermission[]): Promise<string> {
  const op = await theOperator();
  const name = scopes.join(' ');
  const known = op.keys.get(name);
  if (known) return known;
  const key = await platformKey(op.admin.sessionToken as string, scopes);
  op.keys.set(name, key);
  return key;
}

let addresses = 0;
/**
 * A service account of the organization holding `role`, and an access token issued to it through the
 * client-credentials grant (each from its own address: token requests are throttled per address).
 */
export async function serviceAccountToken(organizationId: string, role: string): Promise<string> {
  const { clientId, clientSecret } = await seedServiceAccount(orm(), organizationId, role);
  const ip = `198.51.100.${(++addresses % 250) + 1}`;
  const token = await callerFor(runtime(), {}, ip).organizations.exchangeToken({
    organizationId,
    clientId,
    clientSecret,
  });
  return token.access_token;
}

/**
 * The actors of the organization that are neither its members in good standing nor another tenant:
 * a member whose membership is deactivated (an admin, so the status and not the role refuses), an
 * external collaborator (a signed-up user of no organization, project_viewer on projects here; see
 * fixtureFor), and a service account of each role with a token. Plus a suspended organization with
 * its owner and a service account whose token was issued before the suspension.
 */
export async function outsideActors(organizationId: string) {
  const [deactivated, external] = await seedAccounts(orm(), [
    {
      memberOf: { organizationId, role: 'admin', status: 'deactivated' },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
      password: PASSWORD,
    },
    { primaryOrganizationId: null, session: true, password: PASSWORD },
  ]);
  const externalId = (external as SeededAccount).userId;
  // A collaborator from the start, so that the organization is one they act in (projects.list).
  await seedCollaborator(orm(), organizationId, await seedProject(orm(), organizationId), externalId, EXTERNAL_ROLE);
  const machines = await Promise.all(machineRoles.map((role) => serviceAccountToken(organizationId, role)));
  const suspended = await organizationWithOwner({ credits: 1000 });
  const suspendedMachine = await serviceAccountToken(suspended.organizationId, 'admin');
  await suspendOrganization(orm(), suspended.organizationId);
  return {
    deactivated: deactivated as SeededAccount,
    external: external as SeededAccount,
    fixture: fixtureFor(organizationId, { collaborator: externalId }),
    machines: machineRoles.map((role, i) => ({ role, token: machines[i] as string })),
    suspended: { ...suspended, machine: suspendedMachine, fixture: fixtureFor(suspended.organizationId) },
  };
}
