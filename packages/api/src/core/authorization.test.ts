// The decision (`can`; every explanation is its detail) against a model of the rules written here
// from the contract and the README, never by calling the code it checks: the catalogue and the role
// tables are spelled out, and `allowedByModel` states the rule in a few lines. Random principals
// (built-in and custom roles, teams, project bindings, scoped keys and tokens, platform admins) get
// the model's answer for every permission; and the decision is monotone: a scope or a binding added
// never takes a permission away, one removed never gives one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, explain, rolePermissions } from './authorization.js';
import {
  builtInRolePermissions,
  isProjectRole,
  knownPermissions,
  type PermissionKey,
  projectRoles,
  type Scope,
  useRegisteredPermissions,
} from './permissions.js';
import type { Grant } from './principal.js';

const ORG = 'org_here';
const PROJECTS = [null, 'prj_1', 'prj_2', 'prj_other'] as const;

// ---------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------

/** The catalogue (contract, "Roles and permissions"). */
const CATALOGUE = [
  'organizations:read',
  'organizations:update',
  'organizations:delete',
  'members:read',
  'members:invite',
  'members:update',
  'members:remove',
  'apiKeys:read',
  'apiKeys:write',
  'apiKeys:verify',
  'serviceAccounts:read',
  'serviceAccounts:write',
  'sso:read',
  'sso:write',
  'credits:read',
  'credits:consume',
  'credits:grant',
  'credits:refund',
  'projects:read',
  'projects:write',
  'teams:read',
  'teams:write',
  'roles:read',
  'roles:write',
  'audit:read',
  'webhooks:read',
  'webhooks:write',
] as const;
/**
 * Permissions the operator registered (contract, "permissions of the integrator's own"): owner and admin
 * hold them all, member and viewer those granted to them.
 */
const REGISTERED = [
  { key: 'workflows:read', grantedTo: ['member', 'viewer'] },
  { key: 'workflows:execute', grantedTo: ['member'] },
  { key: 'executions:read', grantedTo: [] },
] as const;
const REGISTERED_KEYS = REGISTERED.map((p) => p.key);
const grantedTo = (role: string) =>
  REGISTERED.filter((p) => (p.grantedTo as readonly string[]).includes(role)).map((p) => p.key);
/** Every permission a role, scope or token may name. */
const ALL: readonly string[] = [...CATALOGUE, ...REGISTERED_KEYS];
beforeAll(() => useRegisteredPermissions(REGISTERED.map((p) => ({ ...p, description: null }))));
afterAll(() => useRegisteredPermissions([]));
/** No organization role holds these, not even a custom one that lists them: platform admins only. */
const PLATFORM_ONLY = new Set<string>(['credits:grant', 'credits:refund']);
const IN_ORGANIZATIONS = CATALOGUE.filter((p) => !PLATFORM_ONLY.has(p));
const READS = IN_ORGANIZATIONS.filter((p) => p.endsWith(':read'));

/**
 * README "Built-in roles": owner everything, admin everything but deleting the organization, member
 * the reads (but the audit log, other members' keys and the events and webhooks) and projects:write,
 * viewer the reads (but those and the credits).
 */
const ROLES: Record<string, readonly string[]> = {
  owner: [...IN_ORGANIZATIONS, ...REGISTERED_KEYS],
  admin: [...IN_ORGANIZATIONS.filter((p) => p !== 'organizations:delete'), ...REGISTERED_KEYS],
  member: [
    ...READS.filter((p) => !['audit:read', 'apiKeys:read', 'webhooks:read'].includes(p)),
    'projects:write',
    ...grantedTo('member'),
  ],
  viewer: [
    ...READS.filter((p) => !['audit:read', 'apiKeys:read', 'webhooks:read', 'credits:read'].includes(p)),
    ...grantedTo('viewer'),
  ],
};
/** README "Teams, projects": a project role grants on its project only. */
const PROJECT_ROLES: Record<string, readonly string[]> = {
  project_admin: ['projects:read', 'projects:write', 'members:read', 'members:invite', 'members:remove'],
  project_editor: ['projects:read', 'projects:write'],
  project_viewer: ['projects:read'],
};
const CUSTOM = 'custom';

/** A principal as the model sees it. */
interface Spec {
  /** The organization the credential acts in. */
  actsIn: string;
  /** The membership's role (a built-in, or the organization's custom role), or none (an external collaborator). */
  role: string | null;
  /** What the custom role stores (the platform-only permissions included: the store may hold anything). */
  custom: string[];
  bindings: { role: string; teamId: string | null; projectId: string | null }[];
  platformAdmin: boolean;
  /** An API key's scopes (null: all of its owner's), or undefined: not a key. */
  keyScopes: Scope[] | null | undefined;
  /** A service account's token's scope, or undefined: not a service account. */
  tokenScopes: PermissionKey[] | undefined;
}

/** What a role grants: a table's, or a custom role's stored list (what of it is in the catalogue and not platform-only). */
function grantsOf(role: string, custom: readonly string[]): readonly string[] {
  const listed = ROLES[role] ?? PROJECT_ROLES[role] ?? (role === CUSTOM ? custom : []);
  return listed.filter((p) => ALL.includes(p) && !PLATFORM_ONLY.has(p));
}

/**
 * The rule (contract, "Credentials": effective permission = the permissions of the caller's roles in
 * the organization, direct and via teams, ∩ the credential's scopes; "Platform scope": the
 * platform-only permissions come from the platform role), in one organization, on it or on a project.
 */
function allowedByModel(s: Spec, permission: string, organizationId: string, projectId: string | null): boolean {
  if (s.actsIn !== organizationId) return false;
  const granted = PLATFORM_ONLY.has(permission)
    ? s.platformAdmin
    : [...(s.role ? [{ role: s.role, projectId: null }] : []), ...s.bindings].some(
        (b) => (b.projectId === null || b.projectId === projectId) && grantsOf(b.role, s.custom).includes(permission),
      );
  const scopes: readonly string[] | null = s.tokenScopes ?? s.keyScopes ?? null;
  return granted && (scopes === null || scopes.includes(permission));
}

// ---------------------------------------------------------------------------------------------------
// Random principals, and the Grant the product builds from one
// ---------------------------------------------------------------------------------------------------

const ORGANIZATION_ROLES = [...Object.keys(ROLES), CUSTOM];
const binding = fc.oneof(
  // A team's role on the organization.
  fc.record({
    role: fc.constantFrom(...ORGANIZATION_ROLES),
    teamId: fc.constantFrom('team_1', 'team_2'),
    projectId: fc.constant(null),
  }),
  // A role on one project: the caller's own (a collaborator) or a team's.
  fc.record({
    role: fc.constantFrom(...Object.keys(PROJECT_ROLES), ...ORGANIZATION_ROLES),
    teamId: fc.constantFrom('team_1', null),
    projectId: fc.constantFrom('prj_1', 'prj_2'),
  }),
);
const credential = fc.oneof(
  // A session.
  fc.constant({ keyScopes: undefined, tokenScopes: undefined }),
  // An API key, scoped or not, possibly to platform permissions too.
  fc.record({
    keyScopes: fc.option(fc.subarray<Scope>([...ALL, 'platform:users:read']), { nil: null }),
    tokenScopes: fc.constant(undefined),
  }),
  // A service account's token.
  fc.record({ keyScopes: fc.constant(undefined), tokenScopes: fc.subarray<PermissionKey>([...ALL]) }),
);
const spec = (actsIn: string): fc.Arbitrary<Spec> =>
  fc
    .record({
      actsIn: fc.constant(actsIn),
      role: fc.option(fc.constantFrom(...ORGANIZATION_ROLES), { nil: null }),
      custom: fc.subarray<string>([...ALL]),
      bindings: fc.array(binding, { maxLength: 5 }),
      platformAdmin: fc.boolean(),
      credential,
    })
    .map(({ credential: c, ...rest }) => ({ ...rest, ...c }));

/** What the procedure chain hands the decision: role permissions and bindings expanded as the product does. */
function principalOf(s: Spec): Grant {
  const expand = (role: string) =>
    isProjectRole(role) ? [...projectRoles[role]] : rolePermissions(role, role === CUSTOM ? s.custom : null);
  return {
    organizationId: s.actsIn,
    role: s.role,
    rolePermissions: expand(s.role ?? ''),
    platformRole: s.platformAdmin ? 'admin' : 'user',
    apiKey:
      s.keyScopes === undefined
        ? null
        : { id: 'key_x', keyPrefix: 'gh_x', scopes: s.keyScopes, platform: false, expiresAt: null },
    serviceAccount: s.tokenScopes
      ? { id: 'sa_x', credentialId: 'cred_x', clientId: 'ghc_x', scopes: s.tokenScopes, tokenId: 'jti' }
      : null,
    bindings: s.bindings.map((b) => ({ ...b, permissions: expand(b.role) })),
  };
}

/** Everything the decision allows the principal, on the organization and on each project. */
function allowedSet(s: Spec): Set<string> {
  const principal = principalOf(s);
  const out = new Set<string>();
  for (const projectId of PROJECTS) {
    for (const permission of ALL) {
      if (can(principal, permission, ORG, projectId)) out.add(`${projectId ?? 'organization'} ${permission}`);
    }
  }
  return out;
}
const missingFrom = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x));

// ---------------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------------

describe('the decision', () => {
  it('uses the catalogue and the role tables the model states', () => {
    expect([...knownPermissions()].sort()).toEqual([...ALL].sort());
    for (const [role, permissions] of Object.entries(ROLES)) {
      expect([...builtInRolePermissions(role as 'owner')].sort(), role).toEqual([...permissions].sort());
    }
    expect(projectRoles).toEqual(PROJECT_ROLES);
  });

  it('expands a role as the model does: a custom role never carries a platform-only permission (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORGANIZATION_ROLES), fc.subarray<string>([...ALL, 'nope:read']), (r, stored) => {
        expect([...rolePermissions(r, r === CUSTOM ? stored : null)].sort()).toEqual([...grantsOf(r, stored)].sort());
      }),
    );
  });

  it('answers as the model, for every permission, on the organization and on each project (property)', () => {
    fc.assert(
      fc.property(spec(ORG), (s) => {
        const principal = principalOf(s);
        for (const projectId of PROJECTS) {
          for (const permission of ALL) {
            const wanted = allowedByModel(s, permission, ORG, projectId);
            const explanation = explain(principal, permission, ORG, projectId);
            expect(explanation.allowed, `${permission} on ${projectId ?? 'the organization'}`).toBe(wanted);
            // A refusal says what is missing; an allowance shows the links that grant it, none of another project.
            expect(explanation.missing === undefined).toBe(wanted);
            if (wanted) expect(explanation.chain.length).toBeGreaterThan(0);
            for (const link of explanation.chain) if (link.projectId) expect(link.projectId).toBe(projectId);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('allows nothing in an organization the principal does not act in (property)', () => {
    fc.assert(
      fc.property(spec('org_elsewhere'), (s) => {
        expect([...allowedSet(s)]).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('is monotone in the scopes: one added never takes a permission away, one removed never gives one (property)', () => {
    const scoped = spec(ORG).filter((s) => (s.tokenScopes ?? s.keyScopes ?? null) !== null);
    fc.assert(
      fc.property(scoped, fc.constantFrom<Scope>(...ALL), (s, scope) => {
        const edit = (change: (scopes: Scope[]) => Scope[] | null): Spec =>
          s.tokenScopes
            ? { ...s, tokenScopes: (change(s.tokenScopes) ?? undefined) as PermissionKey[] | undefined }
            : { ...s, keyScopes: change(s.keyScopes as Scope[]) };
        const base = allowedSet(s);
        expect(missingFrom(base, allowedSet(edit((scopes) => [...new Set([...scopes, scope])])))).toEqual([]);
        expect(missingFrom(allowedSet(edit((scopes) => scopes.filter((p) => p !== scope))), base)).toEqual([]);
        // Scopes only ever narrow what the roles grant: no scopes at all allows at least as much.
        expect(missingFrom(base, allowedSet(edit(() => null)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in the bindings: one added never takes a permission away, one removed never gives one (property)', () => {
    fc.assert(
      fc.property(spec(ORG), binding, fc.nat(), (s, extra, at) => {
        const base = allowedSet(s);
        expect(missingFrom(base, allowedSet({ ...s, bindings: [...s.bindings, extra] }))).toEqual([]);
        if (s.bindings.length > 0) {
          const removed = s.bindings.filter((_, i) => i !== at % s.bindings.length);
          expect(missingFrom(allowedSet({ ...s, bindings: removed }), base)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
