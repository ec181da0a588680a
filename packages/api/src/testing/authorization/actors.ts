// The actor × credential × target matrix: every procedure that acts on a member, called by each actor
// (owner, admin, member, viewer, a custom role holding only members:read + members:remove, another
// organization's owner, a platform admin who is not a member, an admin service account, an admin whose
// membership is deactivated, an external collaborator) through each credential (a session naming the
// organization in X-Gatehouse-Organization, a session without it, scoped API keys, an access token) on
// each target (owner, admin, member, a managed viewer, a self-managed member, a self-registered
// outsider, a managed account that left, and the actor themselves). Each row expects exactly one
// outcome ('OK' or `${code}:${reason}`), written from the rules by an action's `expected`/`self`
// functions (never by calling product code), and the target's state afterwards: what the outcome says
// changed, and nothing else. Mismatches are collected and reported together, one test per action.
//
// The actions live in their family's authorization.test.ts; the rules they are written with are here.
import { describe, expect, it } from 'vitest';
import {
  type BuiltInRole,
  builtInRoles,
  type Permission,
  platformPermissions,
  type Scope,
} from '../../core/permissions.js';
import { bearer, callerFor } from '../fixtures.js';
import {
  type AccountSpec,
  inPool,
  outcomeOf,
  type SeededAccount,
  seedAccounts,
  seedCollaborator,
  seedOrganization,
  seedProject,
} from '../matrix.js';
import {
  FORBIDDEN,
  MEMBERSHIP_DEACTIVATED,
  NO_ORGANIZATION,
  NOT_FOUND,
  OK,
  OUTRANKED,
  type Outcome,
  USER_ONLY,
} from './outcomes.js';
import { as, type Caller, organizationWithOwner, orm, runtime, serviceAccountToken } from './setup.js';

export const REMOVER: Permission[] = ['members:read', 'members:remove'];
const MEMBER_MANAGEMENT: Permission[] = [
  'members:read',
  'members:invite',
  'members:update',
  'members:remove',
  'apiKeys:read',
  'apiKeys:write',
];
const permissionsOf = (role: string): readonly Permission[] =>
  role === 'remover' ? REMOVER : builtInRoles[role as BuiltInRole];

export type ActorKind =
  | 'owner'
  | 'admin'
  | 'member'
  | 'viewer'
  | 'remover'
  | 'stranger'
  | 'platformAdmin'
  | 'serviceAccount'
  | 'deactivated'
  | 'external';
type CredentialKind = 'session+header' | 'session' | 'key' | 'narrowKey' | 'token';
type TargetKind = 'owner' | 'admin' | 'member' | 'managedViewer' | 'selfManaged' | 'outsider' | 'leftManaged' | 'self';

const memberActors: ActorKind[] = ['owner', 'admin', 'member', 'viewer', 'remover'];
/**
 * Beyond the members: another organization's owner, a platform admin, an admin service account (by its
 * token), an admin whose membership is deactivated, and an external collaborator (a signed-up user of no
 * organization, collaborating on a project here).
 */
const actorKinds: ActorKind[] = [
  ...memberActors,
  'stranger',
  'platformAdmin',
  'serviceAccount',
  'deactivated',
  'external',
];
// The narrow key, for the owner (an owner's key narrower than their role: outranked, and no ownership to give).
const credentialsOf = (actor: ActorKind): CredentialKind[] =>
  actor === 'owner'
    ? ['session+header', 'session', 'key', 'narrowKey']
    : actor === 'serviceAccount'
      ? ['token']
      : actor === 'external'
        ? ['session+header', 'session']
        : ['session+header', 'session', 'key'];

/**
 * The keys' scopes, chosen so that scoping decides rows: `key` holds the role's permissions but
 * audit:read (so a scoped owner or admin key is outranked by owners and admins, who hold it), and
 * `narrowKey` only the role's member-management permissions (outranked by every built-in role).
 */
function scopesOf(role: string, credential: CredentialKind): Permission[] | null {
  const held = permissionsOf(role);
  if (credential === 'key') return held.filter((p) => p !== 'audit:read');
  if (credential === 'narrowKey') return held.filter((p) => MEMBER_MANAGEMENT.includes(p));
  return null;
}

export interface TargetSpec {
  /** Role in the organization acted upon, or null when not a member. */
  role: string | null;
  /** Managed by the organization acted upon. */
  managed: boolean;
  /** Has a key, and whether it is bound to the organization acted upon. */
  key: 'here' | 'elsewhere' | null;
  verified: boolean;
  /** The actor themselves (their role is the actor's). */
  self?: true;
}
const targetSpecs: Record<TargetKind, TargetSpec> = {
  // A founder who signed up: manages their own account.
  owner: { role: 'owner', managed: false, key: 'here', verified: true },
  admin: { role: 'admin', managed: true, key: 'here', verified: true },
  member: { role: 'member', managed: true, key: 'here', verified: true },
  managedViewer: { role: 'viewer', managed: true, key: 'here', verified: true },
  // Signed up, then joined (as by accepting an invitation).
  selfManaged: { role: 'member', managed: false, key: 'here', verified: true },
  // Signed up (unverified) and created an organization of their own; not a member here.
  outsider: { role: null, managed: false, key: 'elsewhere', verified: false },
  // Created by this organization, then removed from it: still managed by it, no longer a member.
  leftManaged: { role: null, managed: true, key: null, verified: true },
  // The actor acting on themselves, with their own key (member actors only).
  self: { role: null, managed: true, key: 'here', verified: true, self: true },
};
const targetKinds = Object.keys(targetSpecs) as TargetKind[];

/** The target of a row as the rules see it (the actor's own role, for themselves). */
const specOf = (row: { actor: ActorKind; target: TargetKind }): TargetSpec =>
  row.target === 'self' ? { ...targetSpecs.self, role: row.actor } : targetSpecs[row.target];

/** Where and as whom a row's credential acts, as the rules see it. */
export interface Acting {
  /** A session naming an organization its user does not belong to: NOT_FOUND for everything. */
  refused: boolean;
  /** The organization the credential acts in: the one under test, another, or none (a platform key). */
  in: 'here' | 'elsewhere' | null;
  role: string | null;
  /** Effective permissions there: the role's ∩ the credential's scopes. */
  holds: Set<Permission>;
  /** Why it may not act there at all (its membership is deactivated): refused whatever it asks. */
  barred?: Outcome;
  /** A service account: it never acts as a user (its keys, invitations). */
  machine?: true;
}

function actingOf(actor: ActorKind, credential: CredentialKind): Acting {
  const admin = new Set(permissionsOf('admin'));
  if (actor === 'serviceAccount') return { refused: false, in: 'here', role: 'admin', holds: admin, machine: true };
  if (actor === 'deactivated') {
    return { refused: false, in: 'here', role: 'admin', holds: admin, barred: MEMBERSHIP_DEACTIVATED };
  }
  // A session naming the organization is refused as for any non-member; without it, they act in none.
  if (actor === 'external' && credential === 'session')
    return { refused: false, in: null, role: null, holds: new Set() };
  const member = memberActors.includes(actor);
  if (credential === 'session+header' && !member) return { refused: true, in: null, role: null, holds: new Set() };
  if (actor === 'platformAdmin' && credential === 'key')
    return { refused: false, in: null, role: null, holds: new Set() };
  // Another organization's owner, and the platform admin's session, act in their own organization.
  const role = member ? actor : 'owner';
  const scopes = scopesOf(role, credential);
  const holds = new Set(permissionsOf(role).filter((p) => scopes === null || scopes.includes(p)));
  return { refused: false, in: member ? 'here' : 'elsewhere', role, holds };
}

export const holdsAll = (x: Acting, permissions: readonly Permission[]) => permissions.every((p) => x.holds.has(p));
/** The hierarchy: only owners act on owners, and the actor holds every permission the target holds. */
export const outranks = (x: Acting, t: TargetSpec) =>
  !(t.role === 'owner' && x.role !== 'owner') && holdsAll(x, permissionsOf(t.role as string));
/** Nobody grants a role holding more than they hold (ownership: owners only). */
export const mayGrant = (x: Acting, role: string) =>
  !(role === 'owner' && x.role !== 'owner') && holdsAll(x, permissionsOf(role));

/** organizations.* with the organization under test in the input: its members only, then the gate's permission. */
export function organizationGate(x: Acting, permission: Permission): Outcome | null {
  if (x.refused || x.in !== 'here') return NOT_FOUND;
  return x.holds.has(permission) ? null : FORBIDDEN;
}
/** users.*: in the caller's organization; a member of it only. */
export function usersGate(x: Acting, t: TargetSpec, permission: Permission): Outcome | null {
  if (x.refused) return NOT_FOUND;
  if (x.in === null) return NO_ORGANIZATION;
  if (!x.holds.has(permission)) return FORBIDDEN;
  return x.in === 'here' && t.role ? null : NOT_FOUND;
}
/** users.* on oneself (member actors act in the organization under test): the procedure's permission. */
export const selfGate = (x: Acting, permission: Permission): Outcome | null =>
  x.holds.has(permission) ? null : FORBIDDEN;
/** auth.*Key on the target's key: a key of the caller's organization only; another member's needs apiKeys:<access>. */
export function keyGate(x: Acting, t: TargetSpec, access: 'read' | 'write'): Outcome | null {
  // Keys are a user's: a service account handles none.
  if (x.machine) return USER_ONLY;
  // A platform credential reaches its holder's platform keys only.
  if (x.refused || x.in === null) return NOT_FOUND;
  if (x.in !== 'here' || t.key !== 'here') return NOT_FOUND;
  if (!x.holds.has(`apiKeys:${access}`)) return FORBIDDEN;
  return access === 'write' && t.role && !outranks(x, t) ? OUTRANKED : null;
}

/** What the matrix observes of a target after a row. */
export interface State {
  exists: boolean;
  name: string | null;
  accountStatus: string | null;
  role: string | null;
  membershipStatus: string | null;
  keyRevoked: boolean | null;
  keyName: string | null;
  pendingInvitations: number;
}

interface Row {
  action: Action;
  actor: ActorKind;
  credential: CredentialKind;
  target: TargetKind;
}
export interface RowContext {
  organizationId: string;
  target: SeededAccount;
}
export interface Action {
  name: string;
  procedure: string;
  call(c: Caller, r: RowContext): Promise<unknown>;
  expected(x: Acting, t: TargetSpec): Outcome;
  /** The outcome of acting on oneself (no hierarchy: the procedure's own rule). */
  self(x: Acting): Outcome;
  /** The target's state after success (default: unchanged). */
  after?(s: State, t: TargetSpec, x: Acting): State;
  /** What is wrong with a successful result, if anything. */
  check?(value: unknown, r: RowContext, t: TargetSpec, x: Acting): string | null;
  needsKey?: true;
  /** Succeeding changes the actor too: each row gets its own. */
  changesActor?: true;
}

export const statusChange = (status: 'active' | 'deactivated' | 'archived') => (s: State, t: TargetSpec) =>
  // A managed account changes account-wide; any other only as a member of this organization.
  t.managed ? { ...s, accountStatus: status } : { ...s, membershipStatus: status };
export const expectStatusChange = (x: Acting, t: TargetSpec) =>
  usersGate(x, t, 'members:update') ?? (outranks(x, t) ? OK : OUTRANKED);
export const expectRoleChange = (gate: Outcome | null, x: Acting, t: TargetSpec) =>
  gate ?? (!outranks(x, t) ? OUTRANKED : t.role === 'member' || mayGrant(x, 'member') ? OK : FORBIDDEN);

/** The organizations the matrix acts in, made once. */
interface World {
  organizationId: string;
  strangerOrganizationId: string;
  platformOrganizationId: string;
  outsidersOrganizationId: string;
  /** A project of the organization, on which the external actors collaborate. */
  projectId: string;
}
/**
 * The worlds rows run in: a few alike, each row in one of them, so that rows running at the same time
 * seldom wait for the same organization's lock (every membership change takes it).
 */
const WORLDS = 4;
let worlds: Promise<World[]> | undefined;
function theWorlds(): Promise<World[]> {
  worlds ??= Promise.all(Array.from({ length: WORLDS }, makeWorld));
  return worlds;
}

async function makeWorld(): Promise<World> {
  const { organizationId, owner } = await organizationWithOwner();
  // The custom role is made the way an organization makes it.
  await callerFor(runtime(), bearer(owner.key as string)).roles.create({
    organizationId,
    key: 'remover',
    name: 'Remover',
    permissions: REMOVER,
  });
  return {
    organizationId,
    strangerOrganizationId: await seedOrganization(orm()),
    platformOrganizationId: await seedOrganization(orm()),
    outsidersOrganizationId: await seedOrganization(orm()),
    projectId: await seedProject(orm(), organizationId),
  };
}

function actorSpec(w: World, actor: ActorKind, credential: CredentialKind): AccountSpec {
  // An account of no organization: the external collaborator (its binding is added once seeded), and a
  // placeholder for the service account, whose token replaces it (see withServiceAccounts).
  if (actor === 'external' || actor === 'serviceAccount') return { primaryOrganizationId: null, session: true };
  if (actor === 'deactivated') {
    const organizationId = w.organizationId;
    return {
      memberOf: { organizationId, role: 'admin', status: 'deactivated' },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
    };
  }
  if (actor === 'stranger') {
    const organizationId = w.strangerOrganizationId;
    return {
      memberOf: { organizationId, role: 'owner' },
      key: { organizationId, scopes: scopesOf('owner', 'key') },
      session: true,
    };
  }
  if (actor === 'platformAdmin') {
    return {
      platformAdmin: true,
      memberOf: { organizationId: w.platformOrganizationId, role: 'owner' },
      key: { organizationId: null, scopes: [...platformPermissions] as Scope[] },
      session: true,
    };
  }
  const organizationId = w.organizationId;
  return {
    memberOf: { organizationId, role: actor },
    managedBy: organizationId,
    key: { organizationId, scopes: scopesOf(actor, credential) },
    session: true,
  };
}

/**
 * The seeded actors made what their kind is: an external collaborator gets a project role in the world's
 * organization, a service account an admin account there and a token in place of the key.
 */
async function completeActors(actors: { actor: ActorKind; world: World; account: SeededAccount }[]) {
  return Promise.all(
    actors.map(async ({ actor, world, account }) => {
      if (actor === 'external') {
        await seedCollaborator(orm(), world.organizationId, world.projectId, account.userId);
      }
      if (actor !== 'serviceAccount') return account;
      return { ...account, key: await serviceAccountToken(world.organizationId, 'admin') };
    }),
  );
}

function targetSpec(w: World, target: TargetKind): AccountSpec {
  const t = targetSpecs[target];
  const here = w.organizationId;
  if (target === 'outsider') {
    const elsewhere = w.outsidersOrganizationId;
    return {
      memberOf: { organizationId: elsewhere, role: 'owner' },
      emailVerified: false,
      key: { organizationId: elsewhere, scopes: null },
    };
  }
  return {
    ...(t.role ? { memberOf: { organizationId: here, role: t.role } } : { primaryOrganizationId: null }),
    managedBy: t.managed ? here : null,
    emailVerified: t.verified,
    ...(t.key ? { key: { organizationId: here, scopes: null } } : {}),
  };
}

/** The state of each target after its row, by one query. */
async function statesOf(targets: readonly { organizationId: string; account: SeededAccount }[]): Promise<State[]> {
  const rows = await orm()
    .em.fork()
    .execute<
      {
        ord: number;
        name: string | null;
        account_status: string | null;
        role: string | null;
        membership_status: string | null;
        key_revoked: boolean | null;
        key_name: string | null;
        pending: number;
      }[]
    >(
      `select x.ord, u.name, u.status as account_status, m.role, m.status as membership_status,
              (select k.revoked_at is not null from api_keys k where k.id = x.key_id) as key_revoked,
              (select k.name from api_keys k where k.id = x.key_id) as key_name,
              (select count(*)::int from invitations i
                where i.organization_id = x.org and lower(i.email) = lower(x.email) and i.status = 'pending') as pending
         from jsonb_to_recordset(?::jsonb) as x(ord int, id text, key_id text, email text, org text)
         left join users u on u.id = x.id
         left join memberships m on m.user_id = x.id and m.organization_id = x.org
        order by x.ord`,
      [
        JSON.stringify(
          targets.map((t, ord) => ({
            ord,
            id: t.account.userId,
            key_id: t.account.keyId,
            email: t.account.email,
            org: t.organizationId,
          })),
        ),
      ],
    );
  return rows.map((row) => ({
    exists: row.name != null,
    name: row.name,
    accountStatus: row.account_status,
    role: row.role,
    membershipStatus: row.membership_status,
    keyRevoked: row.key_revoked,
    keyName: row.key_name,
    pendingInvitations: row.pending,
  }));
}

/** The state every target starts in. */
function initialState(spec: TargetSpec): State {
  return {
    exists: true,
    name: 'Member',
    accountStatus: 'active',
    role: spec.role,
    membershipStatus: spec.role ? 'active' : null,
    keyRevoked: spec.key ? false : null,
    keyName: spec.key ? 'matrix key' : null,
    pendingInvitations: 0,
  };
}

/** Every actor × credential × target of the action (key actions: the targets that hold a key). */
function rowsOf(action: Action): Row[] {
  return actorKinds.flatMap((actor) =>
    credentialsOf(actor).flatMap((credential) =>
      targetKinds
        .filter((target) => !action.needsKey || targetSpecs[target].key)
        .filter((target) => target !== 'self' || memberActors.includes(actor))
        .map((target) => ({ action, actor, credential, target })),
    ),
  );
}

/** The one outcome the rules give the row. */
function expectedOf(row: Row): Outcome {
  const acting = actingOf(row.actor, row.credential);
  if (acting.barred) return acting.barred;
  const spec = specOf(row);
  return spec.self ? row.action.self(acting) : row.action.expected(acting, spec);
}

// Rows run a few at a time: each has its own target, so they are independent.
const CONCURRENCY = 4;

/**
 * Runs every row of the action; returns a line per row whose outcome or effect is not the expected one.
 * An actor (one per actor kind and credential) is shared by the action's rows, but for an action that
 * changes the actor (transferOwnership makes them an admin): then each row has its own.
 */
async function runAction(action: Action): Promise<{ rows: number; mismatches: string[] }> {
  const all = await theWorlds();
  const rows = rowsOf(action);
  const worldOf = (index: number) => all[index % WORLDS] as World;
  const cellOf = (index: number) => {
    const row = rows[index] as Row;
    return `${row.actor}/${row.credential}/${index % WORLDS}`;
  };
  const cells = [...new Set(rows.map((_, index) => cellOf(index)))];
  const seeded = await seedAccounts(orm(), [
    // Acting on oneself: the target is a fresh actor of the row's kind.
    ...rows.map((r, i) =>
      r.target === 'self' ? actorSpec(worldOf(i), r.actor, r.credential) : targetSpec(worldOf(i), r.target),
    ),
    ...(action.changesActor
      ? rows.map((r, i) => actorSpec(worldOf(i), r.actor, r.credential))
      : cells.map((c) => {
          const [actor, credential, world] = c.split('/') as [ActorKind, CredentialKind, string];
          return actorSpec(all[Number(world)] as World, actor, credential);
        })),
  ]);
  const targets = seeded.slice(0, rows.length);
  const actorKindsSeeded: { actor: ActorKind; world: World }[] = action.changesActor
    ? rows.map((r, i) => ({ actor: r.actor, world: worldOf(i) }))
    : cells.map((c) => {
        const [actor, , world] = c.split('/') as [ActorKind, CredentialKind, string];
        return { actor, world: all[Number(world)] as World };
      });
  const actors = await completeActors(
    actorKindsSeeded.map((a, i) => ({ ...a, account: seeded[rows.length + i] as SeededAccount })),
  );
  const actorOf = (index: number) =>
    (rows[index]?.target === 'self'
      ? targets[index]
      : actors[action.changesActor ? index : cells.indexOf(cellOf(index))]) as SeededAccount;
  const outcomes = await inPool(
    rows.map((_, index) => index),
    CONCURRENCY,
    async (index) => {
      const row = rows[index] as Row;
      const { organizationId } = worldOf(index);
      const actor = actorOf(index);
      const target = targets[index] as SeededAccount;
      const byKey = row.credential === 'key' || row.credential === 'narrowKey' || row.credential === 'token';
      const caller = as(
        (byKey ? actor.key : actor.sessionToken) as string,
        row.credential === 'session+header' ? organizationId : undefined,
      );
      const context = { organizationId, target };
      const result = await outcomeOf(action.call(caller, context));
      if (result.outcome !== OK || !action.check) return result.outcome;
      const problem = action.check(result.value, context, specOf(row), actingOf(row.actor, row.credential));
      return problem ? `OK but ${problem}` : OK;
    },
  );
  const states = await statesOf(
    targets.map((account, index) => ({ organizationId: worldOf(index).organizationId, account })),
  );
  const mismatches: string[] = [];
  rows.forEach((row, index) => {
    const spec = specOf(row);
    const expected = expectedOf(row);
    let actual = outcomes[index] as string;
    // What the outcome says happened, and nothing else: a refusal changes nothing.
    const before = initialState(spec);
    const wanted =
      actual.startsWith(OK) && action.after ? action.after(before, spec, actingOf(row.actor, row.credential)) : before;
    const state = states[index] as State;
    if (JSON.stringify(state) !== JSON.stringify(wanted)) {
      actual += ` with target ${JSON.stringify(diff(wanted, state))}`;
    }
    if (actual !== expected) {
      mismatches.push(
        `${action.name} | actor=${row.actor} credential=${row.credential} target=${row.target}: expected ${expected}, got ${actual}`,
      );
    }
  });
  return { rows: rows.length, mismatches };
}

function diff(wanted: State, got: State): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(wanted) as (keyof State)[]) {
    if (wanted[key] !== got[key]) out[key] = `${String(got[key])} (expected ${String(wanted[key])})`;
  }
  return out;
}

/**
 * One test per action, and the checks on the family's rows as a whole: `rows` of them, expecting
 * between them exactly the `outcomes` named (so that the model is not trivially OK or trivially refused).
 */
export function describeActorMatrix(actions: Action[], { rows, outcomes }: { rows: number; outcomes: Outcome[] }) {
  it('expects every named outcome somewhere in the actor matrix', () => {
    const histogram: Record<string, number> = {};
    for (const action of actions) {
      for (const row of rowsOf(action)) {
        const outcome = expectedOf(row);
        histogram[outcome] = (histogram[outcome] ?? 0) + 1;
      }
    }
    expect(Object.values(histogram).reduce((a, b) => a + b)).toBe(rows);
    expect(Object.keys(histogram).sort()).toEqual([...new Set(outcomes)].sort());
  });

  describe('actor × credential × target', () => {
    for (const action of actions) {
      it(action.name, async () => {
        const { mismatches } = await runAction(action);
        expect(mismatches).toEqual([]);
      });
    }
  });
}
