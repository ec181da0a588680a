import type { Permission } from './permissions.js';

/**
 * Who is calling, as established by one credential. It is cached per process (see
 * cache/principal-cache.ts), display fields included so auth.whoami needs no query: any change to
 * what it holds (user, membership, organization name, key) must `announce` the user or organization.
 */
export interface Principal {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  organizationName: string | null;
  platformRole: 'user' | 'admin';
  /** The organization the credential acts in: an API key's own, or the session's chosen one. */
  organizationId: string | null;
  /** The caller's role in that organization, if a member, and what it grants there. */
  role: string | null;
  rolePermissions: Permission[];
  apiKey: { id: string; keyPrefix: string; scopes: Permission[] | null } | null;
  /** The session a signed-in user authenticated with. */
  sessionId: string | null;
}

/** What authorization looks at: the role and platform role in the organization, and the key's scopes. */
export type Grant = Pick<Principal, 'organizationId' | 'rolePermissions' | 'platformRole' | 'apiKey'>;
