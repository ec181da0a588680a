/**
 * The REST surface as data: each row puts one tRPC procedure at a Keycard-shaped path. Everything
 * else — which fields come from the path, the query or the body, the OpenAPI operation, the status
 * code — is derived from the procedure's own zod input and output schemas (see procedures.ts), so a
 * new procedure gets a REST path by adding one row here. Path parameters are named after the input
 * field they fill, in snake_case (`{organization_id}` fills `organizationId`).
 *
 * GET and DELETE read the rest of the input from the query string; POST and PATCH from a JSON body.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** Under /api/v1, with `{snake_case}` parameters. */
  path: string;
  /** The tRPC procedure path, e.g. `organizations.retrieve`. */
  procedure: string;
  summary: string;
  /** 201 for what creates a resource; a procedure answering only `{ ok: true }` is always 204. */
  created?: true;
  /**
   * Who may call it: a credential (default), anyone (the credential is what the input carries, or
   * the caller has none yet), or anyone with an optional credential.
   */
  auth?: 'required' | 'none' | 'optional';
  /**
   * The procedure acts in the caller's organization (the users router): `{organization_id}` in the
   * path names it (a session's X-Gatehouse-Organization), and any other organization is NOT_FOUND.
   */
  callerOrganization?: true;
}

const ORG = '/organizations/{organization_id}';
const SA = `${ORG}/service-accounts/{service_account_id}`;
const TEAM = `${ORG}/teams/{team_id}`;
const WEBHOOK = `${ORG}/webhooks/{webhook_id}`;
const PRJ = `${ORG}/projects/{project_id}`;

export const routes: Route[] = [
  // The caller
  { method: 'GET', path: '/me', procedure: 'users.me', summary: 'Retrieve the signed-in user' },
  { method: 'PATCH', path: '/me', procedure: 'users.updateMe', summary: 'Update the signed-in user' },
  { method: 'GET', path: '/whoami', procedure: 'auth.whoami', summary: 'Describe the calling credential' },

  // Sessions and passwords
  { method: 'POST', path: '/auth/signup', procedure: 'auth.signup', summary: 'Sign up', auth: 'none', created: true },
  { method: 'POST', path: '/auth/login', procedure: 'auth.login', summary: 'Sign in with a password', auth: 'none' },
  {
    method: 'POST',
    path: '/auth/sso/exchange',
    procedure: 'auth.exchangeSsoCode',
    summary: "Exchange an SSO sign-in's one-time code for a session",
    auth: 'none',
  },
  { method: 'POST', path: '/auth/logout', procedure: 'auth.logout', summary: 'End the current session' },
  { method: 'POST', path: '/auth/password', procedure: 'auth.changePassword', summary: 'Change the password' },
  {
    method: 'POST',
    path: '/auth/password-reset-requests',
    procedure: 'auth.requestPasswordReset',
    summary: 'Mail a password reset link',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/auth/password-reset',
    procedure: 'auth.resetPassword',
    summary: 'Reset a password with a mailed token',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/auth/email-verification',
    procedure: 'auth.verifyEmail',
    summary: 'Verify an email address with a mailed token',
    auth: 'optional',
  },
  {
    method: 'POST',
    path: '/auth/email-verification-requests',
    procedure: 'auth.requestEmailVerification',
    summary: 'Mail an email verification link',
  },
  { method: 'GET', path: '/auth/sessions', procedure: 'auth.sessions.list', summary: 'List your sessions' },
  {
    method: 'DELETE',
    path: '/auth/sessions/{session_id}',
    procedure: 'auth.sessions.revoke',
    summary: 'Revoke one of your sessions',
  },
  {
    method: 'POST',
    path: '/auth/sessions/revoke-others',
    procedure: 'auth.sessions.revokeOthers',
    summary: 'Revoke every session but this one',
  },
  {
    method: 'POST',
    path: '/auth/mfa-verification',
    procedure: 'auth.verifyMfa',
    summary: "Complete a sign-in with a second factor (login's challenge token and a code)",
    auth: 'none',
  },
  { method: 'GET', path: '/auth/mfa', procedure: 'auth.mfa.status', summary: 'Your second factors' },
  {
    method: 'POST',
    path: '/auth/mfa/totp',
    procedure: 'auth.mfa.totp.enroll',
    summary: 'Start setting up a TOTP authenticator',
  },
  {
    method: 'POST',
    path: '/auth/mfa/totp/confirmation',
    procedure: 'auth.mfa.totp.confirm',
    summary: 'Turn TOTP on with a first code; answers the recovery codes once',
  },
  {
    method: 'POST',
    path: '/auth/mfa/recovery-codes',
    procedure: 'auth.mfa.recoveryCodes.regenerate',
    summary: 'Replace your recovery codes',
  },
  {
    method: 'POST',
    path: '/auth/mfa/step-up',
    procedure: 'auth.mfa.stepUp',
    summary: 'Prove a second factor again (for what needs one within 10 minutes)',
  },
  { method: 'POST', path: '/auth/mfa/disable', procedure: 'auth.mfa.disable', summary: 'Remove your second factor' },
  {
    method: 'POST',
    path: '/auth/mfa/passkeys/registration-options',
    procedure: 'auth.mfa.passkeys.registrationOptions',
    summary: 'WebAuthn options for adding a passkey',
  },
  {
    method: 'POST',
    path: '/auth/mfa/passkeys',
    procedure: 'auth.mfa.passkeys.register',
    summary: 'Add a passkey (the browser’s answer to the options)',
    created: true,
  },
  { method: 'GET', path: '/auth/mfa/passkeys', procedure: 'auth.mfa.passkeys.list', summary: 'List your passkeys' },
  {
    method: 'DELETE',
    path: '/auth/mfa/passkeys/{passkey_id}',
    procedure: 'auth.mfa.passkeys.remove',
    summary: 'Remove one of your passkeys',
  },
  {
    method: 'POST',
    path: '/auth/passkeys/login-options',
    procedure: 'auth.passkeys.loginOptions',
    summary: 'WebAuthn options for signing in with a passkey (or a passkey as the second factor)',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/auth/passkeys/login',
    procedure: 'auth.passkeys.login',
    summary: 'Sign in with a passkey (user verification required)',
    auth: 'none',
  },

  // The caller's API keys
  { method: 'GET', path: '/api-keys', procedure: 'auth.listKeys', summary: 'List your API keys' },
  { method: 'POST', path: '/api-keys', procedure: 'auth.createKey', summary: 'Create an API key', created: true },
  { method: 'GET', path: '/api-keys/{key_id}', procedure: 'auth.getKey', summary: 'Retrieve an API key' },
  { method: 'PATCH', path: '/api-keys/{key_id}', procedure: 'auth.updateKey', summary: 'Update an API key' },
  { method: 'DELETE', path: '/api-keys/{key_id}', procedure: 'auth.revokeKey', summary: 'Revoke an API key' },
  { method: 'POST', path: '/api-keys/{key_id}/rotate', procedure: 'auth.rotateKey', summary: 'Rotate an API key' },

  // Organizations (Keycard)
  {
    method: 'POST',
    path: '/organizations',
    procedure: 'organizations.create',
    summary: 'Create an organization',
    created: true,
  },
  { method: 'GET', path: '/organizations', procedure: 'organizations.list', summary: 'List your organizations' },
  { method: 'GET', path: ORG, procedure: 'organizations.retrieve', summary: 'Retrieve an organization' },
  { method: 'PATCH', path: ORG, procedure: 'organizations.update', summary: 'Update an organization' },
  { method: 'DELETE', path: ORG, procedure: 'organizations.delete', summary: 'Delete an organization' },
  {
    method: 'POST',
    path: `${ORG}/token`,
    procedure: 'organizations.exchangeToken',
    summary: "Exchange a service account's client credentials for an access token",
    auth: 'none',
  },
  { method: 'GET', path: `${ORG}/roles`, procedure: 'organizations.listRoles', summary: 'List available roles' },
  { method: 'GET', path: `${ORG}/identities`, procedure: 'organizations.listIdentities', summary: 'List identities' },

  // Custom roles
  { method: 'POST', path: `${ORG}/roles`, procedure: 'roles.create', summary: 'Create a custom role', created: true },
  { method: 'PATCH', path: `${ORG}/roles/{role_id}`, procedure: 'roles.update', summary: 'Update a custom role' },
  { method: 'DELETE', path: `${ORG}/roles/{role_id}`, procedure: 'roles.delete', summary: 'Delete a custom role' },

  // Users of an organization (Keycard): the users router, acting in the organization of the path
  {
    method: 'GET',
    path: `${ORG}/users`,
    procedure: 'users.list',
    summary: 'List users',
    callerOrganization: true,
  },
  {
    method: 'POST',
    path: `${ORG}/users`,
    procedure: 'users.create',
    summary: 'Create a user managed by the organization',
    callerOrganization: true,
    created: true,
  },
  {
    method: 'GET',
    path: `${ORG}/users/{user_id}`,
    procedure: 'users.retrieve',
    summary: 'Retrieve a user',
    callerOrganization: true,
  },
  {
    method: 'PATCH',
    path: `${ORG}/users/{user_id}`,
    procedure: 'users.update',
    summary: 'Update a user',
    callerOrganization: true,
  },
  {
    method: 'DELETE',
    path: `${ORG}/users/{user_id}`,
    procedure: 'organizations.removeMember',
    summary: 'Remove a user from the organization',
  },
  ...(['deactivate', 'activate', 'archive'] as const).map(
    (verb): Route => ({
      method: 'POST',
      path: `${ORG}/users/{user_id}/${verb}`,
      procedure: `users.${verb}`,
      summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} a user`,
      callerOrganization: true,
    }),
  ),
  // By email too (the seed's users.deactivate(email)): the body holds user_id or email.
  ...(['deactivate', 'activate'] as const).map(
    (verb): Route => ({
      method: 'POST',
      path: `${ORG}/users/${verb}`,
      procedure: `users.${verb}`,
      summary: `${verb[0]?.toUpperCase()}${verb.slice(1)} a user by id or email`,
      callerOrganization: true,
    }),
  ),
  {
    method: 'DELETE',
    path: `${ORG}/users/{user_id}/account`,
    procedure: 'users.delete',
    summary: 'Delete an account the organization manages (elsewhere: remove the membership)',
    callerOrganization: true,
  },
  {
    method: 'POST',
    path: `${ORG}/users/{user_id}/password-reset`,
    procedure: 'users.resetPassword',
    summary: 'Mail a user a password reset link',
    callerOrganization: true,
  },
  {
    method: 'POST',
    path: `${ORG}/users/{user_id}/mfa-reset`,
    procedure: 'users.resetMfa',
    summary: "Remove a managed user's second factor (audited; the user is mailed)",
    callerOrganization: true,
  },
  {
    method: 'GET',
    path: `${ORG}/users/{user_id}/permissions`,
    procedure: 'users.getPermissions',
    summary: "List a user's effective permissions",
    callerOrganization: true,
  },
  {
    method: 'GET',
    path: `${ORG}/users/{user_id}/teams`,
    procedure: 'users.getTeams',
    summary: "List a user's teams",
    callerOrganization: true,
  },
  {
    method: 'GET',
    path: `${ORG}/users/{user_id}/resources`,
    procedure: 'users.getResources',
    summary: 'List the resources a user reaches',
    callerOrganization: true,
  },
  {
    method: 'POST',
    path: `${ORG}/pre-registrations`,
    procedure: 'users.preRegister',
    summary: 'Pre-register users by email',
    callerOrganization: true,
  },

  // Members
  { method: 'GET', path: `${ORG}/members`, procedure: 'organizations.members', summary: 'List members' },
  {
    method: 'POST',
    path: `${ORG}/members`,
    procedure: 'organizations.addMember',
    summary: 'Add a member (or invite an account the organization does not manage)',
    created: true,
  },
  {
    method: 'PATCH',
    path: `${ORG}/members/{user_id}`,
    procedure: 'organizations.updateMemberRole',
    summary: "Change a member's role",
  },
  {
    method: 'DELETE',
    path: `${ORG}/members/{user_id}`,
    procedure: 'organizations.removeMember',
    summary: 'Remove a member',
  },
  {
    method: 'POST',
    path: `${ORG}/ownership-transfer`,
    procedure: 'organizations.transferOwnership',
    summary: 'Make a member owner (the caller becomes admin)',
  },

  // Invitations (Keycard), and the invitee's side through the token
  {
    method: 'POST',
    path: `${ORG}/invitations`,
    procedure: 'organizations.invite',
    summary: 'Invite someone by email',
    created: true,
  },
  {
    method: 'GET',
    path: `${ORG}/invitations`,
    procedure: 'organizations.listInvitations',
    summary: 'List invitations',
  },
  {
    method: 'DELETE',
    path: `${ORG}/invitations/{invitation_id}`,
    procedure: 'organizations.cancelInvitation',
    summary: 'Cancel an invitation',
  },
  {
    method: 'POST',
    path: '/invitations/{invitation_id}/resend',
    procedure: 'invitations.resend',
    summary: 'Resend an invitation',
  },
  // The token travels in a body, never a URL (URLs end up in logs).
  {
    method: 'POST',
    path: '/invitations/lookup',
    procedure: 'invitations.lookup',
    summary: 'Look an invitation up by its token',
    auth: 'none',
  },
  {
    method: 'POST',
    path: '/invitations/accept',
    procedure: 'invitations.accept',
    summary: 'Accept an invitation',
    auth: 'optional',
  },
  {
    method: 'POST',
    path: '/invitations/decline',
    procedure: 'invitations.decline',
    summary: 'Decline an invitation',
    auth: 'none',
  },

  // Service accounts and their credentials (Keycard)
  {
    method: 'POST',
    path: `${ORG}/service-accounts`,
    procedure: 'serviceAccounts.create',
    summary: 'Create a service account',
    created: true,
  },
  {
    method: 'GET',
    path: `${ORG}/service-accounts`,
    procedure: 'serviceAccounts.list',
    summary: 'List service accounts',
  },
  { method: 'GET', path: SA, procedure: 'serviceAccounts.retrieve', summary: 'Retrieve a service account' },
  { method: 'PATCH', path: SA, procedure: 'serviceAccounts.update', summary: 'Update a service account' },
  { method: 'DELETE', path: SA, procedure: 'serviceAccounts.delete', summary: 'Delete a service account' },
  {
    method: 'POST',
    path: `${SA}/credentials`,
    procedure: 'serviceAccounts.credentials.create',
    summary: 'Create a client credential (the secret is shown once)',
    created: true,
  },
  {
    method: 'GET',
    path: `${SA}/credentials`,
    procedure: 'serviceAccounts.credentials.list',
    summary: 'List client credentials',
  },
  {
    method: 'GET',
    path: `${SA}/credentials/{credential_id}`,
    procedure: 'serviceAccounts.credentials.retrieve',
    summary: 'Retrieve a client credential',
  },
  {
    method: 'PATCH',
    path: `${SA}/credentials/{credential_id}`,
    procedure: 'serviceAccounts.credentials.update',
    summary: 'Update a client credential',
  },
  {
    method: 'DELETE',
    path: `${SA}/credentials/{credential_id}`,
    procedure: 'serviceAccounts.credentials.delete',
    summary: 'Delete a client credential',
  },

  // Teams (seed 003): members inherit the roles a team holds
  { method: 'POST', path: `${ORG}/teams`, procedure: 'teams.create', summary: 'Create a team', created: true },
  { method: 'GET', path: `${ORG}/teams`, procedure: 'teams.list', summary: 'List teams' },
  { method: 'GET', path: TEAM, procedure: 'teams.retrieve', summary: 'Retrieve a team' },
  { method: 'PATCH', path: TEAM, procedure: 'teams.update', summary: 'Update a team' },
  { method: 'DELETE', path: TEAM, procedure: 'teams.delete', summary: 'Delete a team and its role bindings' },
  { method: 'GET', path: `${TEAM}/members`, procedure: 'teams.members', summary: "List a team's members" },
  {
    method: 'POST',
    path: `${TEAM}/members`,
    procedure: 'teams.addMember',
    summary: 'Add a member to a team',
    created: true,
  },
  {
    method: 'DELETE',
    path: `${TEAM}/members/{user_id}`,
    procedure: 'teams.removeMember',
    summary: 'Remove a member from a team',
  },
  {
    method: 'POST',
    path: `${TEAM}/roles`,
    procedure: 'teams.grantRole',
    summary: 'Grant the team a role on the organization or a project',
  },
  {
    method: 'DELETE',
    path: `${TEAM}/roles`,
    procedure: 'teams.revokeRole',
    summary: "Revoke the team's role on the organization or a project",
  },

  // Projects (seed 002) and their collaborators
  { method: 'POST', path: `${ORG}/projects`, procedure: 'projects.create', summary: 'Create a project', created: true },
  { method: 'GET', path: `${ORG}/projects`, procedure: 'projects.list', summary: 'List the projects you reach' },
  { method: 'GET', path: PRJ, procedure: 'projects.retrieve', summary: 'Retrieve a project' },
  { method: 'PATCH', path: PRJ, procedure: 'projects.update', summary: 'Update a project' },
  { method: 'DELETE', path: PRJ, procedure: 'projects.delete', summary: 'Delete a project and its bindings' },
  {
    method: 'GET',
    path: `${PRJ}/collaborators`,
    procedure: 'projects.collaborators',
    summary: "List a project's collaborators",
  },
  {
    method: 'POST',
    path: `${PRJ}/collaborators`,
    procedure: 'projects.addCollaborator',
    summary: 'Add a collaborator (a user, a team, or an email that gets an invitation)',
    created: true,
  },
  {
    method: 'DELETE',
    path: `${PRJ}/collaborators`,
    procedure: 'projects.removeCollaborator',
    summary: 'Remove a collaborator (user_id or team_id)',
  },

  // Verified domains (a DNS TXT record proves each)
  {
    method: 'POST',
    path: `${ORG}/domains`,
    procedure: 'organizations.domains.add',
    summary: 'Claim a domain (answers the TXT record to publish)',
    created: true,
  },
  { method: 'GET', path: `${ORG}/domains`, procedure: 'organizations.domains.list', summary: 'List domains' },
  {
    method: 'POST',
    path: `${ORG}/domains/{domain_id}/verify`,
    procedure: 'organizations.domains.verify',
    summary: 'Verify a domain by its published TXT record',
  },
  {
    method: 'DELETE',
    path: `${ORG}/domains/{domain_id}`,
    procedure: 'organizations.domains.remove',
    summary: 'Remove a domain',
  },

  // The organization's SSO connection (OIDC), one per organization
  {
    method: 'POST',
    path: `${ORG}/sso-connection`,
    procedure: 'sso.enable',
    summary: 'Enable SSO (discovers and validates the issuer)',
    created: true,
  },
  { method: 'GET', path: `${ORG}/sso-connection`, procedure: 'sso.retrieve', summary: 'Retrieve the SSO connection' },
  { method: 'PATCH', path: `${ORG}/sso-connection`, procedure: 'sso.update', summary: 'Update the SSO connection' },
  {
    method: 'DELETE',
    path: `${ORG}/sso-connection`,
    procedure: 'sso.disable',
    summary: 'Disable SSO (removes the connection and its identities)',
  },
  {
    method: 'POST',
    path: `${ORG}/sso-connection/test`,
    procedure: 'sso.test',
    summary: 'Test the SSO connection (discovery and JWKS, step by step)',
  },

  // Why can X do Y
  {
    method: 'GET',
    path: `${ORG}/permissions/explain`,
    procedure: 'permissions.explain',
    summary: 'Explain whether a principal holds a permission, and through what',
  },

  // The permission catalogue: built-in and registered (permissions of the integrator's own)
  {
    method: 'GET',
    path: '/permissions',
    procedure: 'permissions.catalogue',
    summary: 'List every permission and the built-in roles that hold it',
  },

  // Verifying a key for a service of the integrator's (an answer, never an error)
  {
    method: 'POST',
    path: '/keys/verify',
    procedure: 'keys.verify',
    summary: "Verify an API key a service's caller presented",
  },

  // Credits
  { method: 'GET', path: `${ORG}/credits`, procedure: 'credits.balance', summary: 'Retrieve the credit balance' },
  {
    method: 'GET',
    path: `${ORG}/transactions`,
    procedure: 'credits.transactions',
    summary: 'List credit transactions',
  },
  {
    method: 'POST',
    path: `${ORG}/credits/consume`,
    procedure: 'credits.consume',
    summary: 'Consume credits (Idempotency-Key)',
    created: true,
  },
  {
    method: 'POST',
    path: `${ORG}/credits/grant`,
    procedure: 'credits.grant',
    summary: 'Grant credits (platform admins; Idempotency-Key)',
    created: true,
  },
  {
    method: 'POST',
    path: `${ORG}/credits/reservations`,
    procedure: 'credits.reserve',
    summary: 'Hold credits (Idempotency-Key)',
    created: true,
  },
  {
    method: 'POST',
    path: '/transactions/{transaction_id}/refund',
    procedure: 'credits.refund',
    summary: 'Refund a consumption (platform admins; Idempotency-Key)',
    created: true,
  },
  {
    method: 'POST',
    path: '/reservations/{reservation_id}/capture',
    procedure: 'credits.capture',
    summary: 'Capture held credits',
    created: true,
  },
  {
    method: 'POST',
    path: '/reservations/{reservation_id}/release',
    procedure: 'credits.release',
    summary: 'Release held credits',
  },

  // Audit
  { method: 'GET', path: `${ORG}/audit-events`, procedure: 'audit.list', summary: 'List audit events' },

  // Events (what webhooks deliver; a receiver catches up here by sequence) and webhooks
  { method: 'GET', path: `${ORG}/events`, procedure: 'events.list', summary: 'List events after a sequence' },
  {
    method: 'POST',
    path: `${ORG}/webhooks`,
    procedure: 'webhooks.create',
    summary: 'Create a webhook (its secret is shown once)',
    created: true,
  },
  { method: 'GET', path: `${ORG}/webhooks`, procedure: 'webhooks.list', summary: 'List webhooks' },
  { method: 'GET', path: WEBHOOK, procedure: 'webhooks.retrieve', summary: 'Retrieve a webhook' },
  { method: 'PATCH', path: WEBHOOK, procedure: 'webhooks.update', summary: 'Update a webhook' },
  { method: 'DELETE', path: WEBHOOK, procedure: 'webhooks.delete', summary: 'Delete a webhook and its deliveries' },
  {
    method: 'POST',
    path: `${WEBHOOK}/rotate-secret`,
    procedure: 'webhooks.rotateSecret',
    summary: 'Rotate the signing secret (the old one signs too for 24 hours)',
  },
  { method: 'GET', path: `${WEBHOOK}/deliveries`, procedure: 'webhooks.deliveries', summary: 'List deliveries' },
  {
    method: 'POST',
    path: `${WEBHOOK}/test`,
    procedure: 'webhooks.test',
    summary: 'Send the webhook a test event',
    created: true,
  },
  {
    method: 'POST',
    path: `${ORG}/webhook-deliveries/{delivery_id}/redeliver`,
    procedure: 'webhooks.redeliver',
    summary: 'Send a delivery again',
  },

  // Platform (the deployment's operator)
  {
    method: 'POST',
    path: '/platform/api-keys',
    procedure: 'platform.createKey',
    summary: 'Create a platform key',
    created: true,
  },
  {
    method: 'GET',
    path: '/platform/organizations',
    procedure: 'platform.organizations.list',
    summary: 'List all organizations',
  },
  {
    method: 'PATCH',
    path: '/platform/organizations/{organization_id}',
    procedure: 'platform.organizations.update',
    summary: "Update an organization's plan or subscription",
  },
  {
    method: 'POST',
    path: '/platform/organizations/{organization_id}/suspend',
    procedure: 'platform.organizations.suspend',
    summary: 'Suspend an organization',
  },
  {
    method: 'POST',
    path: '/platform/organizations/{organization_id}/unsuspend',
    procedure: 'platform.organizations.unsuspend',
    summary: 'Lift a suspension',
  },
  { method: 'GET', path: '/platform/users', procedure: 'platform.users.list', summary: 'List all users' },
  {
    method: 'GET',
    path: '/platform/users/{user_id}',
    procedure: 'platform.users.retrieve',
    summary: 'Retrieve any user',
  },
  {
    method: 'POST',
    path: '/platform/users/{user_id}/deactivate',
    procedure: 'platform.users.deactivate',
    summary: 'Deactivate an account',
  },
  {
    method: 'POST',
    path: '/platform/users/{user_id}/activate',
    procedure: 'platform.users.activate',
    summary: 'Activate an account',
  },
  {
    method: 'POST',
    path: '/platform/permissions',
    procedure: 'platform.permissions.create',
    summary: 'Register a permission of your own',
    created: true,
  },
  {
    method: 'GET',
    path: '/platform/permissions',
    procedure: 'platform.permissions.list',
    summary: 'List the registered permissions, with the roles and keys that name each',
  },
  {
    method: 'PATCH',
    path: '/platform/permissions/{key}',
    procedure: 'platform.permissions.update',
    summary: 'Update a registered permission',
  },
  {
    method: 'DELETE',
    path: '/platform/permissions/{key}',
    procedure: 'platform.permissions.delete',
    summary: 'Unregister a permission (force: also from every role and key naming it)',
  },
  {
    method: 'POST',
    path: '/platform/signing-keys/rotate',
    procedure: 'platform.rotateSigningKey',
    summary: 'Rotate the access-token signing key',
  },
];

/**
 * Procedures without a path of their own: the Strongly-shaped duplicates of procedures routed above
 * (the same service or the very same procedure), each mapped to its twin. A test fails when a
 * procedure is neither routed nor listed here, so nothing is forgotten when routers grow: a new
 * procedure needs a row above, or an entry here.
 */
export const sameAs: Record<string, string> = {
  'users.apiKeys': 'auth.listKeys',
  'users.createApiKey': 'auth.createKey',
  'users.revokeApiKey': 'auth.revokeKey',
  'roles.list': 'organizations.listRoles',
  'organizations.credits': 'credits.balance',
  'organizations.transactions': 'credits.transactions',
};
