import type { Permission } from './permissions.js';

/** Who is calling, as established by one credential. */
export interface Principal {
  kind: 'user';
  userId: string;
  platformRole: 'user' | 'admin';
  /** The organization the credential acts in: an API key's own, or the session's chosen one. */
  organizationId: string | null;
  /** The caller's role in that organization, if a member. */
  role: string | null;
  apiKey: { id: string; keyPrefix: string; scopes: Permission[] | null } | null;
  /** The session a signed-in user authenticated with. */
  sessionId: string | null;
}
