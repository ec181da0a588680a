/**
 * The permission catalogue: every permission is `<resource>:<action>` from these statements, so a
 * misspelt permission anywhere (`orgProcedure('member:invite')`) fails to compile.
 */
export const statements = {
  organizations: ['read', 'update', 'delete'],
  members: ['read', 'invite', 'update', 'remove'],
  // verify: checking someone's API key for a service of the integrator's (keys.verify).
  apiKeys: ['read', 'write', 'verify'],
  serviceAccounts: ['read', 'write'],
  sso: ['read', 'write'],
  credits: ['read', 'consume', 'grant', 'refund'],
  projects: ['read', 'write'],
  teams: ['read', 'write'],
  roles: ['read', 'write'],
  audit: ['read'],
  // An organization's events (events.list) and the endpoints they are delivered to (webhooks.*).
  webhooks: ['read', 'write'],
} as const;

type Statements = typeof statements;
export type Permission = { [R in keyof Statements]: `${R}:${Statements[R][number]}` }[keyof Statements];

export const allPermissions: readonly Permission[] = Object.entries(statements).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}:${action}` as Permission),
);

export function isPermission(value: string): value is Permission {
  return (allPermissions as readonly string[]).includes(value);
}

/**
 * Any permission a role, scope or query may name: a built-in one (`Permission`, which code requires by
 * name and the compiler checks) or one the operator registered (`workflows:read`), known at run time only.
 */
export type PermissionKey = Permission | (string & {});

/** How an operator spells a permission of their own: lowercase `<resource>:<action>`. */
export const REGISTERED_PERMISSION_PATTERN = /^[a-z][a-z0-9_-]{0,62}:[a-z][a-z0-9_-]{0,62}$/;

/** At most this many registered permissions, so every list of permissions stays bounded. */
export const MAX_REGISTERED_PERMISSIONS = 500;
/** The most permissions any role, scope list or catalogue answer holds. */
export const MAX_PERMISSIONS = 64 + MAX_REGISTERED_PERMISSIONS;

/** A permission of the integrator's own, and which built-in roles below admin hold it. */
export interface RegisteredPermission {
  key: string;
  description: string | null;
  grantedTo: readonly ('member' | 'viewer')[];
}

/**
 * The registered permissions as this process last read them (permissions/catalogue.ts loads them at
 * start and again whenever any process changes them). One deployment, one database per process: the
 * catalogue is the deployment's, like the built-in statements, so it lives beside them.
 */
let registered: ReadonlyMap<string, RegisteredPermission> = new Map();

export function useRegisteredPermissions(list: readonly RegisteredPermission[]): void {
  registered = new Map(list.map((p) => [p.key, p]));
}

export const registeredPermissions = (): RegisteredPermission[] => [...registered.values()];

export const isRegisteredPermission = (value: string): boolean => registered.has(value);

/** Built-in or registered: what a role, key scope or token scope may hold. */
export const isKnownPermission = (value: string): boolean => isPermission(value) || registered.has(value);

/** Every organization permission there is now: the built-in catalogue, then the registered ones. */
export const knownPermissions = (): PermissionKey[] => [...allPermissions, ...registered.keys()];

/**
 * Organization permissions that no organization role holds: only platform admins (and keys they scope)
 * act with them, on any organization. An organization must not add credits to itself or refund its own usage.
 */
export const platformOnly = ['credits:grant', 'credits:refund'] as const satisfies readonly Permission[];
export type PlatformOnlyPermission = (typeof platformOnly)[number];
export const isPlatformOnly = (p: string): p is PlatformOnlyPermission =>
  (platformOnly as readonly string[]).includes(p);

/** What a platform admin may do, and scope a platform key to: the platform-only permissions and the platform router's. */
export const platformPermissions = [
  ...platformOnly,
  'platform:organizations:read',
  'platform:organizations:write',
  'platform:users:read',
  'platform:users:write',
  // Rotating the keys that sign service accounts' access tokens.
  'platform:signingKeys:write',
  // The registered permissions of the integrator's own (platform.permissions.*).
  'platform:permissions:read',
  'platform:permissions:write',
  // keys.verify on keys of any organization: a deployment-wide gateway's credential.
  'platform:apiKeys:verify',
] as const;
export type PlatformPermission = (typeof platformPermissions)[number];
export const isPlatformPermission = (p: string): p is PlatformPermission =>
  (platformPermissions as readonly string[]).includes(p);

/** Anything a credential can be scoped to: an organization permission (built-in or registered) or a platform one. */
export type Scope = PermissionKey | PlatformPermission;

const all = allPermissions.filter((p) => !isPlatformOnly(p));
// Members and viewers read neither the audit trail, nor keys, nor events and webhooks (integrators' plumbing).
const reads = all.filter((p) => p.endsWith(':read') && p !== 'webhooks:read');

export const builtInRoles = {
  owner: all,
  admin: all.filter((p) => p !== 'organizations:delete'),
  member: [...reads.filter((p) => p !== 'audit:read' && p !== 'apiKeys:read'), 'projects:write'],
  viewer: reads.filter((p) => p !== 'audit:read' && p !== 'apiKeys:read' && p !== 'credits:read'),
} as const satisfies Record<string, readonly Permission[]>;
export type BuiltInRole = keyof typeof builtInRoles;
/** A role's key as callers write it: the built-ins autocomplete, a custom role's key still fits. */
export type RoleKey = BuiltInRole | (string & {});

export function isBuiltInRole(role: string): role is BuiltInRole {
  return Object.hasOwn(builtInRoles, role);
}

/**
 * What a built-in role grants now: its fixed built-in set, plus the registered permissions — every one
 * for owner and admin, those granted to it for member and viewer.
 */
export function builtInRolePermissions(role: BuiltInRole): PermissionKey[] {
  const extra = [...registered.values()]
    .filter((p) => role === 'owner' || role === 'admin' || (p.grantedTo as readonly string[]).includes(role))
    .map((p) => p.key);
  return [...builtInRoles[role], ...extra];
}

/**
 * Roles on one project (collaborators, and teams granted a role on it). They grant their permissions on
 * that project only: `members:*` there is its collaborators, never the organization's members.
 */
export const projectRoles = {
  project_admin: ['projects:read', 'projects:write', 'members:read', 'members:invite', 'members:remove'],
  project_editor: ['projects:read', 'projects:write'],
  project_viewer: ['projects:read'],
} as const satisfies Record<string, readonly Permission[]>;
export type ProjectRole = keyof typeof projectRoles;

export function isProjectRole(role: string): role is ProjectRole {
  return Object.hasOwn(projectRoles, role);
}
