/**
 * The permission catalogue: every permission is `<resource>:<action>` from these statements, so a
 * misspelt permission anywhere (`orgProcedure('member:invite')`) fails to compile.
 */
export const statements = {
  organizations: ['read', 'update', 'delete'],
  members: ['read', 'invite', 'update', 'remove'],
  apiKeys: ['read', 'write'],
  serviceAccounts: ['read', 'write'],
  sso: ['read', 'write'],
  credits: ['read', 'consume', 'grant'],
  projects: ['read', 'write'],
  teams: ['read', 'write'],
  roles: ['read', 'write'],
  audit: ['read'],
} as const;

type Statements = typeof statements;
export type Permission = { [R in keyof Statements]: `${R}:${Statements[R][number]}` }[keyof Statements];

export const allPermissions: readonly Permission[] = Object.entries(statements).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}:${action}` as Permission),
);

export function isPermission(value: string): value is Permission {
  return (allPermissions as readonly string[]).includes(value);
}

// No organization role holds credits:grant: an organization must not add credits to itself.
const PLATFORM_ONLY: readonly Permission[] = ['credits:grant'];
const all = allPermissions.filter((p) => !PLATFORM_ONLY.includes(p));
const reads = all.filter((p) => p.endsWith(':read'));

export const builtInRoles = {
  owner: all,
  admin: all.filter((p) => p !== 'organizations:delete'),
  member: [...reads.filter((p) => p !== 'audit:read' && p !== 'apiKeys:read'), 'projects:write'],
  viewer: reads.filter((p) => p !== 'audit:read' && p !== 'apiKeys:read' && p !== 'credits:read'),
} as const satisfies Record<string, readonly Permission[]>;
export type BuiltInRole = keyof typeof builtInRoles;

export function isBuiltInRole(role: string): role is BuiltInRole {
  return Object.hasOwn(builtInRoles, role);
}
