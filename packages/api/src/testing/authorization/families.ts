// Which family's authorization.test.ts holds a procedure's matrix entry: the family whose longest
// pattern matches it (a pattern ending in '.' is a prefix, any other a procedure's full path). A family
// is named after the folder its test file sits in, next to the code it tests.
import { appRouter } from '../../root.js';

export const families = {
  auth: ['auth.'],
  // Keys are a user's own, reached through auth.* and users.*; keys.verify checks one for a service.
  'api-keys': [
    'auth.createKey',
    'auth.listKeys',
    'auth.getKey',
    'auth.updateKey',
    'auth.revokeKey',
    'auth.rotateKey',
    'users.apiKeys',
    'users.createApiKey',
    'users.revokeApiKey',
    'keys.',
  ],
  users: ['users.'],
  organizations: ['organizations.'],
  domains: ['organizations.domains.'],
  sso: ['sso.'],
  invitations: [
    'invitations.',
    'organizations.invite',
    'organizations.listInvitations',
    'organizations.cancelInvitation',
  ],
  credits: ['credits.', 'organizations.credits', 'organizations.transactions'],
  roles: ['roles.', 'organizations.listRoles'],
  'audit-log': ['audit.'],
  platform: ['platform.'],
  'service-accounts': ['serviceAccounts.', 'organizations.exchangeToken'],
  teams: ['teams.'],
  projects: ['projects.'],
  permissions: ['permissions.'],
  events: ['events.'],
  webhooks: ['webhooks.'],
} as const satisfies Record<string, readonly string[]>;

export type Family = keyof typeof families;

/** Every procedure of the router, sorted. */
export const allProcedures = () => Object.keys(appRouter._def.procedures).sort();

const matches = (pattern: string, path: string) =>
  pattern.endsWith('.') ? path.startsWith(pattern) : path === pattern;

/** The family a procedure belongs to, or undefined when no pattern matches it. */
export function familyOf(path: string): Family | undefined {
  let best: { family: Family; length: number } | undefined;
  for (const [family, patterns] of Object.entries(families) as [Family, readonly string[]][]) {
    for (const pattern of patterns) {
      if (matches(pattern, path) && pattern.length > (best?.length ?? 0)) best = { family, length: pattern.length };
    }
  }
  return best?.family;
}

/** The procedures of the family, sorted. */
export const proceduresOf = (family: Family) => allProcedures().filter((path) => familyOf(path) === family);
