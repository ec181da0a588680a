// What a matrix entry says of a procedure: who may call it and a call with a valid input. Each family's
// entries live in its authorization.test.ts, next to its router; the gates (gates.ts) run them.
import type { BuiltInRole, Permission, PlatformPermission } from '../../core/permissions.js';
import type { SeededAccount } from '../matrix.js';
import { NOT_FOUND, type Outcome } from './outcomes.js';
import type { Caller, Fixture } from './setup.js';

/** A call with a valid input; `me` is the calling account, when the procedure acts on the caller's own things. */
export type Call = (c: Caller, f: Fixture, me?: SeededAccount) => Promise<unknown>;

export type Entry =
  | { kind: 'public' }
  | {
      // The caller's own account, keys and organizations.
      kind: 'authed';
      call: Call;
      onMember?: true;
      /** What a signed-in user acting in no organization gets (default OK): their own things only. */
      noOrganization?: Outcome;
      /** What a member gets through an API key instead of a session (default OK). */
      byKey?: Outcome;
      /** What a service account's token gets (default USER_ONLY: it acts as no user). */
      serviceAccount?: Outcome;
    }
  | {
      // On one organization's resources: the input's organizationId, or (users.*) the caller's own organization.
      kind: 'org';
      permission: Permission;
      call: Call;
      /** Who passes (default: the built-in roles holding the permission); every other role is FORBIDDEN. */
      allowed?: BuiltInRole[];
      /** What another organization's owner gets: NOT_FOUND, or (acting in their own organization) OK. */
      outsider?: 'NOT_FOUND' | 'OK';
      /** Succeeding changes the organization for good (deletes it): each call gets its own. */
      isolate?: true;
      /** Acts on a member: the actor matrix has rows for it. */
      onMember?: true;
      /**
       * Decided on a project (projectProcedure: external collaborators reach it by their role there), or open
       * to whoever acts in the organization, external collaborators included (reachProcedure).
       */
      on?: 'project' | 'reach';
      /** Past the gate, only a user may do it: a service account's token is FORBIDDEN USER_ONLY. */
      userOnly?: true;
    }
  // The platform router: a platform admin's session or platform key with the permission (null: any).
  | { kind: 'platform'; permission: PlatformPermission | null; call: Call }
  // credits:grant and credits:refund: platform credentials on any organization, PLATFORM_ONLY for its roles.
  | { kind: 'platformOnly'; permission: 'credits:grant' | 'credits:refund'; call: Call };

/** A family's entries, by procedure path. */
export type Entries = Record<string, Entry>;

export const org = (
  permission: Permission,
  call: Call,
  more: Omit<Extract<Entry, { kind: 'org' }>, 'kind' | 'permission' | 'call'> = {},
): Entry => ({
  kind: 'org',
  permission,
  call,
  ...more,
});
export const platform = (permission: PlatformPermission | null, call: Call): Entry => ({
  kind: 'platform',
  permission,
  call,
});
export const authed = (call: Call, more: Omit<Extract<Entry, { kind: 'authed' }>, 'kind' | 'call'> = {}): Entry => ({
  kind: 'authed',
  call,
  ...more,
});

/** The caller's own key (a new member's, for a caller without one: not theirs). */
export const ownKey = async (f: Fixture, me?: SeededAccount) => (me?.keyId ?? (await f.member()).keyId) as string;
export const ownKeyRules = { onMember: true, noOrganization: NOT_FOUND } as const;
/** A new managed viewer of the fixture's organization. */
export const userId = async (f: Fixture) => (await f.member()).userId;
