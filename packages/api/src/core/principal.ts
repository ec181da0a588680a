import type { PermissionKey, Scope } from './permissions.js';

/**
 * A role reaching the caller other than their own organization role: through a team (on the
 * organization, or on a project when projectId is set) or as a project's collaborator.
 */
export interface Binding {
  role: string;
  permissions: readonly PermissionKey[];
  teamId: string | null;
  projectId: string | null;
}

/**
 * Who is calling, as established by one credential. It is cached per process (see
 * cache/principal-cache.ts), display fields included so auth.whoami needs no query: any change to
 * what it holds (user, membership, organization name or status, key) must invalidate the user or
 * organization (`after.invalidate` in infra/transaction.ts).
 */
export interface Principal {
  kind: 'user' | 'serviceAccount';
  /** The acting identity: a user's id, or (kind 'serviceAccount') the service account's. */
  userId: string;
  email: string;
  name: string;
  organizationName: string | null;
  platformRole: 'user' | 'admin';
  /** The organization the credential acts in: an API key's own, or the session's chosen one. */
  organizationId: string | null;
  /** The caller's role in that organization, if a member, and what it grants there. */
  role: string | null;
  rolePermissions: PermissionKey[];
  /**
   * The roles the caller holds through teams and projects in that organization (see access/bindings.ts),
   * attached by the procedure chain when it decides; absent before.
   */
  bindings?: readonly Binding[];
  /**
   * Why the caller may not act in that organization at all, if so: it is suspended, or their membership
   * there is deactivated (checked by the procedure chain, see authenticate.ts).
   */
  barred: 'ORGANIZATION_SUSPENDED' | 'MEMBERSHIP_DEACTIVATED' | null;
  /**
   * The organization acted in requires a second factor of its members' sessions (settings.enforceMfa),
   * and whether this user has confirmed one (sessions only): see assertMfaSatisfied in access/membership.ts.
   */
  enforceMfa?: boolean;
  mfaEnabled?: boolean;
  /** Acting on an organization with platform authority (a platform admin who need not be a member). */
  asPlatform: boolean;
  apiKey: {
    id: string;
    keyPrefix: string;
    scopes: Scope[] | null;
    /** A platform key: bound to no organization, for platform permissions only. */
    platform: boolean;
    /** Keys made with this key never outlive it. */
    expiresAt: Date | null;
  } | null;
  /** The session a signed-in user authenticated with. */
  sessionId: string | null;
  /**
   * A service account calling with an access token: its role (above) ∩ the token's scope. It acts in
   * its own organization only and never as a user (no keys, sessions, organizations or invitations).
   */
  serviceAccount: {
    id: string;
    credentialId: string;
    clientId: string;
    scopes: PermissionKey[];
    tokenId: string;
  } | null;
}

/** What authorization looks at: the role and platform role in the organization, and the key's or token's scopes. */
export type Grant = Pick<Principal, 'organizationId' | 'rolePermissions' | 'platformRole' | 'apiKey'> &
  Partial<Pick<Principal, 'serviceAccount' | 'role' | 'bindings'>>;
