// The per-procedure gates: every procedure that takes a credential, called as anonymous, another
// tenant, each built-in role (key and session), a service account of each role (token), a deactivated
// member, an external collaborator and a suspended organization, each expecting one exact outcome.
import { describe, expect, it } from 'vitest';
import {
  type BuiltInRole,
  builtInRoles,
  type Permission,
  type PlatformPermission,
  platformPermissions,
  projectRoles,
} from '../../core/permissions.js';
import { type SeededAccount, seedAccounts, suspendOrganization } from '../matrix.js';
import type { Entries, Entry } from './entries.js';
import {
  Expectations,
  FORBIDDEN,
  MEMBERSHIP_DEACTIVATED,
  MFA_REQUIRED,
  NO_ORGANIZATION,
  NOT_FOUND,
  OK,
  ORGANIZATION_SUSPENDED,
  type Outcome,
  outcomes,
  PLATFORM_ONLY,
  UNAUTHORIZED,
  USER_ONLY,
} from './outcomes.js';
import {
  anonymous,
  as,
  EXTERNAL_ROLE,
  fixtureFor,
  operatorKey,
  organizationWithOwner,
  orm,
  outsideActors,
  PASSWORD,
  platformAdmin,
  theOperator,
  theStranger,
} from './setup.js';

const roles = Object.keys(builtInRoles) as BuiltInRole[];
type GateCredential = 'key' | 'session';
const gateCredentials: GateCredential[] = ['key', 'session'];
const credentialOf = (account: SeededAccount, credential: GateCredential) =>
  (credential === 'key' ? account.key : account.sessionToken) as string;
/** A caller by key, or by session naming the organization (X-Gatehouse-Organization). */
const asBy = (account: SeededAccount, credential: GateCredential, organizationId: string) =>
  credential === 'key' ? as(account.key as string) : as(account.sessionToken as string, organizationId);

/**
 * An owner of an organization requiring a second factor (settings.enforceMfa), who has none: their
 * session there may only enrol and see or end itself (the contract's "mfa" section); their key is
 * unaffected.
 */
async function ownerOwingFactor() {
  const home = await organizationWithOwner({ credits: 1000 });
  await orm()
    .em.fork()
    .execute(`update organizations set settings = settings || '{"enforceMfa": true}'::jsonb where id = ?`, [
      home.organizationId,
    ]);
  return home;
}
/** The procedures open to a session owing its organization a second factor. */
const openBeforeMfa = (path: string) =>
  ['auth.whoami', 'auth.logout', 'users.me'].includes(path) ||
  path.startsWith('auth.sessions.') ||
  path.startsWith('auth.mfa.');

/** What an external collaborator (project_viewer on the projects named) gets from an organization's procedure. */
function externalOutcome(path: string, entry: Extract<Entry, { kind: 'org' }>): Outcome {
  // The users router acts in the caller's organization, and they act in none.
  if (path.startsWith('users.')) return NO_ORGANIZATION;
  if (entry.on === 'reach') return OK;
  if (entry.on === 'project') {
    return (projectRoles[EXTERNAL_ROLE] as readonly Permission[]).includes(entry.permission) ? OK : FORBIDDEN;
  }
  // Anything else of the organization is its members': they are none.
  return NOT_FOUND;
}

async function gateCheck(path: string, entry: Extract<Entry, { kind: 'org' }>) {
  const { organizationId } = await organizationWithOwner({ credits: 1000 });
  const outsider = (await theStranger()).owner;
  const allowed =
    entry.allowed ?? roles.filter((r) => (builtInRoles[r] as readonly Permission[]).includes(entry.permission));
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  for (const credential of gateCredentials) {
    x.add(
      `other tenant's owner (${credential})`,
      () => entry.call(as(credentialOf(outsider, credential)), fixture),
      entry.outsider === 'OK' ? OK : NOT_FOUND,
    );
  }
  // One actor per role and credential (a success may change the actor, e.g. ownership transferred).
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const homes = entry.isolate
    ? await Promise.all(cells.map(async () => (await organizationWithOwner({ credits: 1000 })).organizationId))
    : cells.map(() => organizationId);
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }, i) => ({
      memberOf: { organizationId: homes[i] as string, role },
      managedBy: homes[i] as string,
      key: { organizationId: homes[i] as string, scopes: null },
      session: true,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    const home = homes[i] as string;
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(actors[i] as SeededAccount, credential, home), entry.isolate ? fixtureFor(home) : fixture),
      allowed.includes(role) ? OK : FORBIDDEN,
    );
  });
  for (const { role, token } of others.machines) {
    const passes = allowed.includes(role);
    x.add(
      `service account, ${role} (token)`,
      () => entry.call(as(token), fixture),
      !passes ? FORBIDDEN : entry.userOnly ? USER_ONLY : OK,
    );
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    externalOutcome(path, entry),
  );
  const owing = await ownerOwingFactor();
  x.add(
    'owner owing a second factor (session)',
    () => entry.call(asBy(owing.owner, 'session', owing.organizationId), fixtureFor(owing.organizationId)),
    MFA_REQUIRED,
  );
  const { suspended } = others;
  for (const credential of gateCredentials) {
    x.add(
      `suspended organization's owner (${credential})`,
      () => entry.call(asBy(suspended.owner, credential, suspended.organizationId), suspended.fixture),
      ORGANIZATION_SUSPENDED,
    );
  }
  x.add(
    "suspended organization's service account (token)",
    () => entry.call(as(suspended.machine), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  await x.check();
}

/** The caller's own account, keys and organizations: every kind of caller, each acting on their own. */
async function authedCheck(entry: Extract<Entry, { kind: 'authed' }>, path: string) {
  const { organizationId } = await organizationWithOwner();
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }) => ({
      memberOf: { organizationId, role },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
      password: PASSWORD,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    const me = actors[i] as SeededAccount;
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(me, credential, organizationId), fixture, me),
      credential === 'key' ? (entry.byKey ?? OK) : OK,
    );
  });
  // A service account acts as no user: it may only ask who it is (and what there is to hold).
  for (const { role, token } of others.machines) {
    x.add(`service account, ${role} (token)`, () => entry.call(as(token), fixture), entry.serviceAccount ?? USER_ONLY);
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture, others.deactivated),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture, others.external),
    entry.noOrganization ?? OK,
  );
  const owing = await ownerOwingFactor();
  x.add(
    'owner owing a second factor (session)',
    () => entry.call(asBy(owing.owner, 'session', owing.organizationId), fixtureFor(owing.organizationId), owing.owner),
    openBeforeMfa(path) ? OK : MFA_REQUIRED,
  );
  const { suspended } = others;
  for (const credential of gateCredentials) {
    x.add(
      `suspended organization's owner (${credential})`,
      () => entry.call(asBy(suspended.owner, credential, suspended.organizationId), suspended.fixture, suspended.owner),
      ORGANIZATION_SUSPENDED,
    );
  }
  x.add(
    "suspended organization's service account (token)",
    () => entry.call(as(suspended.machine), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  await x.check();
}

async function platformGateCheck(entry: Extract<Entry, { kind: 'platform' }>) {
  const { organizationId, owner } = await organizationWithOwner();
  const op = await theOperator();
  const others = await outsideActors(organizationId);
  const fixture = fixtureFor(organizationId);
  const scope = entry.permission ?? 'platform:users:read';
  const other = platformPermissions.find((p) => p.startsWith('platform:') && p !== scope) as PlatformPermission;
  // A platform admin whose own organization is suspended: the platform acts whatever its state.
  const suspendedOperator = await platformAdmin();
  await suspendOrganization(orm(), suspendedOperator.organizationId);
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  x.add("an organization's owner (key)", () => entry.call(as(owner.key as string), fixture), FORBIDDEN);
  x.add("an organization's owner (session)", () => entry.call(as(owner.sessionToken as string), fixture), FORBIDDEN);
  x.add('platform admin (session)', () => entry.call(as(op.admin.sessionToken as string), fixture), OK);
  x.add("platform admin's organization key", () => entry.call(as(op.admin.key as string), fixture), FORBIDDEN);
  x.add(`platform key [${scope}]`, async () => entry.call(as(await operatorKey([scope])), fixture), OK);
  x.add(`platform key [${other}]`, async () => entry.call(as(await operatorKey([other])), fixture), FORBIDDEN);
  x.add(
    'platform admin of a suspended organization (session)',
    () => entry.call(as(suspendedOperator.admin.sessionToken as string), fixture),
    OK,
  );
  // Nobody else reaches the platform router.
  x.add(
    'service account, admin (token)',
    () => entry.call(as(others.machines[0]?.token as string), fixture),
    FORBIDDEN,
  );
  x.add('deactivated admin (key)', () => entry.call(as(others.deactivated.key as string), fixture), FORBIDDEN);
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    FORBIDDEN,
  );
  x.add(
    "suspended organization's owner (session)",
    () => entry.call(as(others.suspended.owner.sessionToken as string), fixture),
    FORBIDDEN,
  );
  await x.check();
}

/** credits.grant and credits.refund: platform credentials on any organization; no organization role. */
async function platformOnlyCheck(entry: Extract<Entry, { kind: 'platformOnly' }>) {
  const { organizationId } = await organizationWithOwner({ credits: 1000 });
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const outsider = (await theStranger()).owner;
  const op = await theOperator();
  const own = fixtureFor(op.organizationId);
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }) => ({
      memberOf: { organizationId, role },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(actors[i] as SeededAccount, credential, organizationId), fixture),
      PLATFORM_ONLY,
    );
  });
  for (const { role, token } of others.machines) {
    x.add(`service account, ${role} (token)`, () => entry.call(as(token), fixture), PLATFORM_ONLY);
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    NOT_FOUND,
  );
  const { suspended } = others;
  x.add(
    "suspended organization's owner (key)",
    () => entry.call(as(suspended.owner.key as string), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  const session = op.admin.sessionToken as string;
  x.add("other tenant's owner (key)", () => entry.call(as(outsider.key as string), fixture), NOT_FOUND);
  x.add("other tenant's owner (session)", () => entry.call(as(outsider.sessionToken as string), fixture), NOT_FOUND);
  // A platform admin acts on any organization, member or not, suspended or not.
  x.add('platform admin (session)', () => entry.call(as(session), fixture), OK);
  x.add('platform admin (session), a suspended organization', () => entry.call(as(session), suspended.fixture), OK);
  // …but a session naming an organization acts as a member of it, which they are not.
  x.add(
    'platform admin (session naming the organization)',
    () => entry.call(as(session, organizationId), fixture),
    NOT_FOUND,
  );
  x.add(
    `platform key [${entry.permission}]`,
    async () => entry.call(as(await operatorKey([entry.permission])), fixture),
    OK,
  );
  x.add(
    'platform key [platform:users:read]',
    async () => entry.call(as(await operatorKey(['platform:users:read'])), fixture),
    NOT_FOUND,
  );
  // An organization key of a platform admin acts in its own organization only.
  x.add(
    "platform admin's organization key, another organization",
    () => entry.call(as(op.admin.key as string), fixture),
    NOT_FOUND,
  );
  x.add(
    "platform admin's organization key, its own organization",
    () => entry.call(as(op.admin.key as string), own),
    OK,
  );
  x.add('platform admin (session), their own organization', () => entry.call(as(session), own), OK);
  await x.check();
}

/** One gate test per entry that takes a credential, and one for the credential every authed entry requires. */
export function describeGates(entries: Entries) {
  describe('gates', () => {
    for (const [path, entry] of Object.entries(entries)) {
      if (entry.kind === 'org') {
        const allowed =
          entry.allowed ?? roles.filter((r) => (builtInRoles[r] as readonly Permission[]).includes(entry.permission));
        it(`${path}: anonymous UNAUTHORIZED, other tenant ${entry.outsider ?? 'NOT_FOUND'}, ${allowed.join('/') || 'no role'} OK, others FORBIDDEN; service accounts, deactivated members, external collaborators, suspended organizations`, () =>
          gateCheck(path, entry));
      } else if (entry.kind === 'platform') {
        it(`${path}: platform admin session or platform key [${entry.permission ?? 'any'}] only`, () =>
          platformGateCheck(entry));
      } else if (entry.kind === 'platformOnly') {
        it(`${path}: platform credentials on any organization, PLATFORM_ONLY for every role`, () =>
          platformOnlyCheck(entry));
      } else if (entry.kind === 'authed') {
        it(`${path}: every user on their own things; USER_ONLY for service accounts; barred members refused`, () =>
          authedCheck(entry, path));
      }
    }

    const authed = Object.entries(entries).filter(([, e]) => e.kind === 'authed');
    if (authed.length === 0) return;
    it('requires a credential for every authenticated procedure', async () => {
      type Procedure = (input?: unknown) => Promise<unknown>;
      const caller = anonymous() as unknown;
      // Authentication runs before input validation, so even an empty input is UNAUTHORIZED.
      const lines = await outcomes(
        authed.map(([path]) => {
          const procedure = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
          return [path, async () => (procedure as Procedure)({})];
        }),
      );
      expect(lines).toEqual(authed.map(([path]) => `${path}: ${UNAUTHORIZED}`));
    });
  });
}
