// The SDK facade: the Strongly SDK's shape over the router (seed 000). A method takes the resource's
// id positionally, then an options object; a list returns a PagedList. Adding a router's resource
// is an interface of signatures and an object of one-line calls, then one line in client.ts.
import type { TRPCClient } from '@trpc/client';
import { type PagedList, paged } from './paging.js';
import type { AppRouter, RouterInputs as In, RouterOutputs as Out, Permission } from './router.js';

type Trpc = TRPCClient<AppRouter>;
/** A procedure's input without the keys the method takes positionally. */
type Options<I, K extends keyof NonNullable<I>> = Omit<NonNullable<I>, K>;
/** A list's filter: its input without the positional keys and the cursor (`limit` is the page size). */
type Filter<I, K extends PropertyKey = never> = Omit<NonNullable<I>, K | 'cursor'>;
/** The input with its permission lists (`K`) typed to the client's catalogue `P`. */
type Listing<I, K extends PropertyKey, P> = { [F in keyof I]: F extends K ? ListOf<I[F], P> : I[F] };
type ListOf<T, P> = T extends readonly unknown[] ? P[] : T;
/** The default: any permission, the built-in ones offered first. */
type AnyPermission = Permission | (string & {});

/** A session handed over as a bearer token (`sessionToken`). */
export type TokenSession<T> = Extract<T, { sessionToken: string }>;
/** A session set as the browser's cookie: `csrfToken` goes in X-Gatehouse-CSRF on its changes. */
export type CookieSession<T> = Extract<T, { cookie: true }>;
/** auth.login's answer for an account with a second factor: send a code with it to auth.verifyMfa. */
export type MfaChallenge<T> = Extract<T, { mfaRequired: true }>;

export interface AuthResource<P extends string = AnyPermission> {
  whoami(): Promise<Out['auth']['whoami']>;
  /** With `cookie: true` (a browser on the server's origin) the session is set as an HttpOnly cookie. */
  signup(input: In['auth']['signup'] & { cookie: true }): Promise<CookieSession<Out['auth']['signup']>>;
  signup(input: In['auth']['signup'] & { cookie?: false | undefined }): Promise<TokenSession<Out['auth']['signup']>>;
  signup(input: In['auth']['signup']): Promise<Out['auth']['signup']>;
  /**
   * With `cookie: true` (a browser on the server's origin) the session is set as an HttpOnly cookie. An
   * account with a second factor gets `{ mfaRequired: true, challengeToken, methods }` instead: no session
   * until verifyMfa.
   */
  login(
    input: In['auth']['login'] & { cookie: true },
  ): Promise<CookieSession<Out['auth']['login']> | MfaChallenge<Out['auth']['login']>>;
  login(
    input: In['auth']['login'] & { cookie?: false | undefined },
  ): Promise<TokenSession<Out['auth']['login']> | MfaChallenge<Out['auth']['login']>>;
  login(input: In['auth']['login']): Promise<Out['auth']['login']>;
  /**
   * The one-time `code` an SSO sign-in brought to your redirect_uri, for a session. With `cookie: true` (a
   * browser on the server's origin) the session is set as an HttpOnly cookie.
   */
  exchangeSsoCode(code: string, options: { cookie: true }): Promise<CookieSession<Out['auth']['exchangeSsoCode']>>;
  exchangeSsoCode(
    code: string,
    options?: { cookie?: false | undefined },
  ): Promise<TokenSession<Out['auth']['exchangeSsoCode']>>;
  exchangeSsoCode(code: string, options?: { cookie?: boolean | undefined }): Promise<Out['auth']['exchangeSsoCode']>;
  /** The second step of a sign-in: the challenge and a TOTP code (or a recovery code) → the session. */
  verifyMfa(input: In['auth']['verifyMfa']): Promise<Out['auth']['verifyMfa']>;
  logout(): Promise<Out['auth']['logout']>;
  changePassword(input: In['auth']['changePassword']): Promise<Out['auth']['changePassword']>;
  requestPasswordReset(input: In['auth']['requestPasswordReset']): Promise<Out['auth']['requestPasswordReset']>;
  resetPassword(input: In['auth']['resetPassword']): Promise<Out['auth']['resetPassword']>;
  /** Confirms the address with the mailed token (signed out: claims the account with `password`). */
  verifyEmail(
    token: string,
    options?: Options<In['auth']['verifyEmail'], 'token'>,
  ): Promise<Out['auth']['verifyEmail']>;
  requestEmailVerification(): Promise<Out['auth']['requestEmailVerification']>;
  createKey(input: Listing<In['auth']['createKey'], 'scopes', P>): Promise<Out['auth']['createKey']>;
  updateKey(keyId: string, body: Options<In['auth']['updateKey'], 'keyId'>): Promise<Out['auth']['updateKey']>;
  listKeys(filter?: Filter<In['auth']['listKeys']>): PagedList<Out['auth']['listKeys']['items'][number]>;
  getKey(keyId: string): Promise<Out['auth']['getKey']>;
  revokeKey(keyId: string): Promise<Out['auth']['revokeKey']>;
  rotateKey(keyId: string, options?: Options<In['auth']['rotateKey'], 'keyId'>): Promise<Out['auth']['rotateKey']>;
  /** The caller's own sessions (a session only: an API key has none). */
  sessions: {
    list(filter?: Filter<In['auth']['sessions']['list']>): PagedList<Out['auth']['sessions']['list']['items'][number]>;
    revoke(sessionId: string): Promise<Out['auth']['sessions']['revoke']>;
    revokeOthers(): Promise<Out['auth']['sessions']['revokeOthers']>;
  };
  /** Signing in with a passkey instead of a password (user verification required). */
  passkeys: {
    loginOptions(): Promise<Out['auth']['passkeys']['loginOptions']>;
    login(input: In['auth']['passkeys']['login']): Promise<Out['auth']['passkeys']['login']>;
  };
  /** The caller's own second factors (a session only). */
  mfa: {
    status(): Promise<Out['auth']['mfa']['status']>;
    totp: {
      /** A new secret, its otpauth URI and a QR code (SVG); confirm it with a first code. */
      enroll(): Promise<Out['auth']['mfa']['totp']['enroll']>;
      /** Turns the factor on; the ten recovery codes come back this once. */
      confirm(code: string): Promise<Out['auth']['mfa']['totp']['confirm']>;
    };
    recoveryCodes: {
      regenerate(code: string): Promise<Out['auth']['mfa']['recoveryCodes']['regenerate']>;
    };
    passkeys: {
      /** Options for navigator.credentials.create (or @simplewebauthn/browser's startRegistration). */
      registrationOptions(): Promise<Out['auth']['mfa']['passkeys']['registrationOptions']>;
      register(input: In['auth']['mfa']['passkeys']['register']): Promise<Out['auth']['mfa']['passkeys']['register']>;
      list(): Promise<Out['auth']['mfa']['passkeys']['list']>;
      remove(passkeyId: string): Promise<Out['auth']['mfa']['passkeys']['remove']>;
    };
    /** Proves a factor again, for what needs one within 10 minutes (owner-level keys, transfers, disable). */
    stepUp(code: string): Promise<Out['auth']['mfa']['stepUp']>;
    disable(code: string): Promise<Out['auth']['mfa']['disable']>;
  };
}

export const auth = (trpc: Trpc): AuthResource => ({
  whoami: () => trpc.auth.whoami.query(),
  signup: ((input: In['auth']['signup']) => trpc.auth.signup.mutate(input)) as AuthResource['signup'],
  login: ((input: In['auth']['login']) => trpc.auth.login.mutate(input)) as AuthResource['login'],
  exchangeSsoCode: ((code: string, options?: { cookie?: boolean | undefined }) =>
    trpc.auth.exchangeSsoCode.mutate({ ...options, code })) as AuthResource['exchangeSsoCode'],
  verifyMfa: (input) => trpc.auth.verifyMfa.mutate(input),
  logout: () => trpc.auth.logout.mutate(),
  changePassword: (input) => trpc.auth.changePassword.mutate(input),
  requestPasswordReset: (input) => trpc.auth.requestPasswordReset.mutate(input),
  resetPassword: (input) => trpc.auth.resetPassword.mutate(input),
  verifyEmail: (token, options) => trpc.auth.verifyEmail.mutate({ ...options, token }),
  requestEmailVerification: () => trpc.auth.requestEmailVerification.mutate(),
  createKey: (input) => trpc.auth.createKey.mutate(input),
  updateKey: (keyId, body) => trpc.auth.updateKey.mutate({ ...body, keyId }),
  listKeys: (filter) => paged((cursor) => trpc.auth.listKeys.query({ ...filter, cursor })),
  getKey: (keyId) => trpc.auth.getKey.query({ keyId }),
  revokeKey: (keyId) => trpc.auth.revokeKey.mutate({ keyId }),
  rotateKey: (keyId, options) => trpc.auth.rotateKey.mutate({ ...options, keyId }),
  sessions: {
    list: (filter) => paged((cursor) => trpc.auth.sessions.list.query({ ...filter, cursor })),
    revoke: (sessionId) => trpc.auth.sessions.revoke.mutate({ sessionId }),
    revokeOthers: () => trpc.auth.sessions.revokeOthers.mutate(),
  },
  passkeys: {
    loginOptions: () => trpc.auth.passkeys.loginOptions.mutate(),
    login: (input) => trpc.auth.passkeys.login.mutate(input),
  },
  mfa: {
    status: () => trpc.auth.mfa.status.query(),
    totp: {
      enroll: () => trpc.auth.mfa.totp.enroll.mutate(),
      confirm: (code) => trpc.auth.mfa.totp.confirm.mutate({ code }),
    },
    recoveryCodes: { regenerate: (code) => trpc.auth.mfa.recoveryCodes.regenerate.mutate({ code }) },
    passkeys: {
      registrationOptions: () => trpc.auth.mfa.passkeys.registrationOptions.mutate(),
      register: (input) => trpc.auth.mfa.passkeys.register.mutate(input),
      list: () => trpc.auth.mfa.passkeys.list.query(),
      remove: (passkeyId) => trpc.auth.mfa.passkeys.remove.mutate({ passkeyId }),
    },
    stepUp: (code) => trpc.auth.mfa.stepUp.mutate({ code }),
    disable: (code) => trpc.auth.mfa.disable.mutate({ code }),
  },
});

/** A user by id, or `{ email }` where the procedure takes either. */
type UserRef = string | In['users']['deactivate'];
const userRef = (ref: UserRef) => (typeof ref === 'string' ? { userId: ref } : ref);

export interface UsersResource {
  me(): Promise<Out['users']['me']>;
  updateMe(body: In['users']['updateMe']): Promise<Out['users']['updateMe']>;
  list(filter?: Filter<In['users']['list']>): PagedList<Out['users']['list']['items'][number]>;
  retrieve(userId: string): Promise<Out['users']['retrieve']>;
  create(body: In['users']['create']): Promise<Out['users']['create']>;
  update(userId: string, body: Options<In['users']['update'], 'userId'>): Promise<Out['users']['update']>;
  archive(userId: string): Promise<Out['users']['archive']>;
  deactivate(user: UserRef): Promise<Out['users']['deactivate']>;
  activate(user: UserRef): Promise<Out['users']['activate']>;
  delete(userId: string): Promise<Out['users']['delete']>;
  resetPassword(userId: string): Promise<Out['users']['resetPassword']>;
  /** Removes a managed member's second factor (they lost it); audited, and the member is mailed. */
  resetMfa(userId: string): Promise<Out['users']['resetMfa']>;
  preRegister(input: In['users']['preRegister']): Promise<Out['users']['preRegister']>;
  /** Your own API keys (the same as `auth.listKeys`). */
  apiKeys(filter?: Filter<In['users']['apiKeys']>): PagedList<Out['users']['apiKeys']['items'][number]>;
  createApiKey(body: In['users']['createApiKey']): Promise<Out['users']['createApiKey']>;
  revokeApiKey(keyId: string): Promise<Out['users']['revokeApiKey']>;
  getPermissions(userId: string): Promise<Out['users']['getPermissions']>;
  getTeams(userId: string): Promise<Out['users']['getTeams']>;
  getResources(userId: string): Promise<Out['users']['getResources']>;
}

export const users = (trpc: Trpc): UsersResource => ({
  me: () => trpc.users.me.query(),
  updateMe: (body) => trpc.users.updateMe.mutate(body),
  list: (filter) => paged((cursor) => trpc.users.list.query({ ...filter, cursor })),
  retrieve: (userId) => trpc.users.retrieve.query({ userId }),
  create: (body) => trpc.users.create.mutate(body),
  update: (userId, body) => trpc.users.update.mutate({ ...body, userId }),
  archive: (userId) => trpc.users.archive.mutate({ userId }),
  deactivate: (user) => trpc.users.deactivate.mutate(userRef(user)),
  activate: (user) => trpc.users.activate.mutate(userRef(user)),
  delete: (userId) => trpc.users.delete.mutate({ userId }),
  resetPassword: (userId) => trpc.users.resetPassword.mutate({ userId }),
  resetMfa: (userId) => trpc.users.resetMfa.mutate({ userId }),
  preRegister: (input) => trpc.users.preRegister.mutate(input),
  apiKeys: (filter) => paged((cursor) => trpc.users.apiKeys.query({ ...filter, cursor })),
  createApiKey: (body) => trpc.users.createApiKey.mutate(body),
  revokeApiKey: (keyId) => trpc.users.revokeApiKey.mutate({ keyId }),
  getPermissions: (userId) => trpc.users.getPermissions.query({ userId }),
  getTeams: (userId) => trpc.users.getTeams.query({ userId }),
  getResources: (userId) => trpc.users.getResources.query({ userId }),
});

type Org = 'organizationId';
type OrgIn = In['organizations'];
type OrgOut = Out['organizations'];

export interface OrganizationsResource {
  create(body: OrgIn['create']): Promise<OrgOut['create']>;
  /** Your organizations (an API key: its own). */
  list(filter?: Filter<OrgIn['list']>): PagedList<OrgOut['list']['items'][number]>;
  retrieve(organizationId: string, options?: Options<OrgIn['retrieve'], Org>): Promise<OrgOut['retrieve']>;
  update(organizationId: string, body: Options<OrgIn['update'], Org>): Promise<OrgOut['update']>;
  delete(organizationId: string): Promise<OrgOut['delete']>;
  members(
    organizationId: string,
    filter?: Filter<OrgIn['members'], Org>,
  ): PagedList<OrgOut['members']['items'][number]>;
  addMember(organizationId: string, body: Options<OrgIn['addMember'], Org>): Promise<OrgOut['addMember']>;
  removeMember(organizationId: string, userId: string): Promise<OrgOut['removeMember']>;
  updateMemberRole(
    organizationId: string,
    userId: string,
    body: Options<OrgIn['updateMemberRole'], Org | 'userId'>,
  ): Promise<OrgOut['updateMemberRole']>;
  /** Makes a member owner; you become admin. */
  transferOwnership(organizationId: string, userId: string): Promise<OrgOut['transferOwnership']>;
  /** Users and service accounts. */
  listIdentities(
    organizationId: string,
    filter?: Filter<OrgIn['listIdentities'], Org>,
  ): PagedList<OrgOut['listIdentities']['items'][number]>;
  listRoles(organizationId: string): Promise<OrgOut['listRoles']>;
  invite(organizationId: string, body: Options<OrgIn['invite'], Org>): Promise<OrgOut['invite']>;
  listInvitations(
    organizationId: string,
    filter?: Filter<OrgIn['listInvitations'], Org>,
  ): PagedList<OrgOut['listInvitations']['items'][number]>;
  cancelInvitation(organizationId: string, invitationId: string): Promise<OrgOut['cancelInvitation']>;
  credits(organizationId: string): Promise<OrgOut['credits']>;
  /** A service account's access token for client credentials (what `POST /oauth/token` answers). */
  exchangeToken(organizationId: string, body: Options<OrgIn['exchangeToken'], Org>): Promise<OrgOut['exchangeToken']>;
  /** The credit ledger, newest first. */
  transactions(
    organizationId: string,
    filter?: Filter<OrgIn['transactions'], Org>,
  ): PagedList<OrgOut['transactions']['items'][number]>;
  /** Domains the organization proves by a DNS TXT record (add → publish txtName/txtValue → verify). */
  domains: {
    add(organizationId: string, domain: string): Promise<OrgOut['domains']['add']>;
    verify(organizationId: string, domainId: string): Promise<OrgOut['domains']['verify']>;
    list(
      organizationId: string,
      filter?: Filter<OrgIn['domains']['list'], Org>,
    ): PagedList<OrgOut['domains']['list']['items'][number]>;
    remove(organizationId: string, domainId: string): Promise<OrgOut['domains']['remove']>;
  };
}

export const organizations = (trpc: Trpc): OrganizationsResource => {
  const o = trpc.organizations;
  return {
    create: (body) => o.create.mutate(body),
    list: (filter) => paged((cursor) => o.list.query({ ...filter, cursor })),
    retrieve: (organizationId, options) => o.retrieve.query({ ...options, organizationId }),
    update: (organizationId, body) => o.update.mutate({ ...body, organizationId }),
    delete: (organizationId) => o.delete.mutate({ organizationId }),
    members: (organizationId, filter) => paged((cursor) => o.members.query({ ...filter, organizationId, cursor })),
    addMember: (organizationId, body) => o.addMember.mutate({ ...body, organizationId }),
    removeMember: (organizationId, userId) => o.removeMember.mutate({ organizationId, userId }),
    updateMemberRole: (organizationId, userId, body) => o.updateMemberRole.mutate({ ...body, organizationId, userId }),
    transferOwnership: (organizationId, userId) => o.transferOwnership.mutate({ organizationId, userId }),
    listIdentities: (organizationId, filter) =>
      paged((cursor) => o.listIdentities.query({ ...filter, organizationId, cursor })),
    listRoles: (organizationId) => o.listRoles.query({ organizationId }),
    invite: (organizationId, body) => o.invite.mutate({ ...body, organizationId }),
    listInvitations: (organizationId, filter) =>
      paged((cursor) => o.listInvitations.query({ ...filter, organizationId, cursor })),
    cancelInvitation: (organizationId, invitationId) => o.cancelInvitation.mutate({ organizationId, invitationId }),
    credits: (organizationId) => o.credits.query({ organizationId }),
    exchangeToken: (organizationId, body) => o.exchangeToken.mutate({ ...body, organizationId }),
    transactions: (organizationId, filter) =>
      paged((cursor) => o.transactions.query({ ...filter, organizationId, cursor })),
    domains: {
      add: (organizationId, domain) => o.domains.add.mutate({ organizationId, domain }),
      verify: (organizationId, domainId) => o.domains.verify.mutate({ organizationId, domainId }),
      list: (organizationId, filter) => paged((cursor) => o.domains.list.query({ ...filter, organizationId, cursor })),
      remove: (organizationId, domainId) => o.domains.remove.mutate({ organizationId, domainId }),
    },
  };
};

/** The invitee's side (by token, no credential needed) and resend (by id). */
export interface InvitationsResource {
  /** What the invitee may see: organization, inviter, role and status. */
  lookup(token: string): Promise<Out['invitations']['lookup']>;
  accept(token: string, options?: Options<In['invitations']['accept'], 'token'>): Promise<Out['invitations']['accept']>;
  decline(token: string): Promise<Out['invitations']['decline']>;
  resend(invitationId: string): Promise<Out['invitations']['resend']>;
}

export const invitations = (trpc: Trpc): InvitationsResource => ({
  lookup: (token) => trpc.invitations.lookup.query({ token }),
  accept: (token, options) => trpc.invitations.accept.mutate({ ...options, token }),
  decline: (token) => trpc.invitations.decline.mutate({ token }),
  resend: (invitationId) => trpc.invitations.resend.mutate({ invitationId }),
});

export interface RolesResource<P extends string = AnyPermission> {
  /** Built-in and custom roles with their permissions. */
  list(organizationId: string): Promise<Out['roles']['list']>;
  create(
    organizationId: string,
    body: Listing<Options<In['roles']['create'], Org>, 'permissions', P>,
  ): Promise<Out['roles']['create']>;
  update(
    organizationId: string,
    roleId: string,
    body: Listing<Options<In['roles']['update'], Org | 'roleId'>, 'permissions', P>,
  ): Promise<Out['roles']['update']>;
  delete(
    organizationId: string,
    roleId: string,
    options?: Options<In['roles']['delete'], Org | 'roleId'>,
  ): Promise<Out['roles']['delete']>;
}

export const roles = (trpc: Trpc): RolesResource => ({
  list: (organizationId) => trpc.roles.list.query({ organizationId }),
  create: (organizationId, body) => trpc.roles.create.mutate({ ...body, organizationId }),
  update: (organizationId, roleId, body) => trpc.roles.update.mutate({ ...body, organizationId, roleId }),
  delete: (organizationId, roleId, options) => trpc.roles.delete.mutate({ ...options, organizationId, roleId }),
});

export interface AuditResource {
  /** Audit events, newest first. */
  list(
    organizationId: string,
    filter?: Filter<In['audit']['list'], Org>,
  ): PagedList<Out['audit']['list']['items'][number]>;
}

export const audit = (trpc: Trpc): AuditResource => ({
  list: (organizationId, filter) => paged((cursor) => trpc.audit.list.query({ ...filter, organizationId, cursor })),
});

export interface EventsResource {
  /**
   * The organization's events after `after` (a sequence, exclusive), oldest first: catch up from the
   * last sequence processed, again with `nextAfter` while `hasMore`.
   */
  list(organizationId: string, filter?: Options<In['events']['list'], Org>): Promise<Out['events']['list']>;
}

export const events = (trpc: Trpc): EventsResource => ({
  list: (organizationId, filter) => trpc.events.list.query({ ...filter, organizationId }),
});

type WhIn = In['webhooks'];
type WhOut = Out['webhooks'];

/** Where an organization's events are delivered, signed (Standard Webhooks); verify with verifyWebhook. */
export interface WebhooksResource {
  /** The secret (`whsec_…`) is in this answer only: keep it. */
  create(organizationId: string, body: Options<WhIn['create'], Org>): Promise<WhOut['create']>;
  list(organizationId: string, filter?: Filter<WhIn['list'], Org>): PagedList<WhOut['list']['items'][number]>;
  retrieve(organizationId: string, webhookId: string): Promise<WhOut['retrieve']>;
  update(
    organizationId: string,
    webhookId: string,
    body: Options<WhIn['update'], Org | 'webhookId'>,
  ): Promise<WhOut['update']>;
  delete(organizationId: string, webhookId: string): Promise<WhOut['delete']>;
  /** A new secret (in this answer only); the old one keeps signing beside it for 24 hours. */
  rotateSecret(organizationId: string, webhookId: string): Promise<WhOut['rotateSecret']>;
  /** Deliveries, newest first, with the receiver's last answer. */
  deliveries(
    organizationId: string,
    webhookId: string,
    filter?: Filter<WhIn['deliveries'], Org | 'webhookId'>,
  ): PagedList<WhOut['deliveries']['items'][number]>;
  redeliver(organizationId: string, deliveryId: string): Promise<WhOut['redeliver']>;
  /** Sends the endpoint a `webhook.test` event (to it alone); returns its delivery. */
  test(organizationId: string, webhookId: string): Promise<WhOut['test']>;
}

export const webhooks = (trpc: Trpc): WebhooksResource => ({
  create: (organizationId, body) => trpc.webhooks.create.mutate({ ...body, organizationId }),
  list: (organizationId, filter) => paged((cursor) => trpc.webhooks.list.query({ ...filter, organizationId, cursor })),
  retrieve: (organizationId, webhookId) => trpc.webhooks.retrieve.query({ organizationId, webhookId }),
  update: (organizationId, webhookId, body) => trpc.webhooks.update.mutate({ ...body, organizationId, webhookId }),
  delete: (organizationId, webhookId) => trpc.webhooks.delete.mutate({ organizationId, webhookId }),
  rotateSecret: (organizationId, webhookId) => trpc.webhooks.rotateSecret.mutate({ organizationId, webhookId }),
  deliveries: (organizationId, webhookId, filter) =>
    paged((cursor) => trpc.webhooks.deliveries.query({ ...filter, organizationId, webhookId, cursor })),
  redeliver: (organizationId, deliveryId) => trpc.webhooks.redeliver.mutate({ organizationId, deliveryId }),
  test: (organizationId, webhookId) => trpc.webhooks.test.mutate({ organizationId, webhookId }),
});

type CrIn = In['credits'];
type CrOut = Out['credits'];

export interface CreditsResource {
  balance(organizationId: string): Promise<CrOut['balance']>;
  /** The ledger, newest first. */
  transactions(
    organizationId: string,
    filter?: Filter<CrIn['transactions'], Org>,
  ): PagedList<CrOut['transactions']['items'][number]>;
  grant(organizationId: string, body: Options<CrIn['grant'], Org>): Promise<CrOut['grant']>;
  consume(organizationId: string, body: Options<CrIn['consume'], Org>): Promise<CrOut['consume']>;
  refund(transactionId: string, body: Options<CrIn['refund'], 'transactionId'>): Promise<CrOut['refund']>;
  reserve(organizationId: string, body: Options<CrIn['reserve'], Org>): Promise<CrOut['reserve']>;
  capture(reservationId: string, body: Options<CrIn['capture'], 'reservationId'>): Promise<CrOut['capture']>;
  release(reservationId: string): Promise<CrOut['release']>;
}

export const credits = (trpc: Trpc): CreditsResource => {
  const c = trpc.credits;
  return {
    balance: (organizationId) => c.balance.query({ organizationId }),
    transactions: (organizationId, filter) =>
      paged((cursor) => c.transactions.query({ ...filter, organizationId, cursor })),
    grant: (organizationId, body) => c.grant.mutate({ ...body, organizationId }),
    consume: (organizationId, body) => c.consume.mutate({ ...body, organizationId }),
    refund: (transactionId, body) => c.refund.mutate({ ...body, transactionId }),
    reserve: (organizationId, body) => c.reserve.mutate({ ...body, organizationId }),
    capture: (reservationId, body) => c.capture.mutate({ ...body, reservationId }),
    release: (reservationId) => c.release.mutate({ reservationId }),
  };
};

type PlatformIn = In['platform'];
type PlatformOut = Out['platform'];

/** The operator's resource: a platform admin's session or platform key (see the README's account model). */
export interface PlatformResource {
  createKey(body: PlatformIn['createKey']): Promise<PlatformOut['createKey']>;
  /** Replaces the access-token signing key (the old one stays published while its tokens live). */
  rotateSigningKey(): Promise<PlatformOut['rotateSigningKey']>;
  organizations: {
    list(
      filter?: Filter<PlatformIn['organizations']['list']>,
    ): PagedList<PlatformOut['organizations']['list']['items'][number]>;
    update(
      organizationId: string,
      body: Options<PlatformIn['organizations']['update'], 'organizationId'>,
    ): Promise<PlatformOut['organizations']['update']>;
    suspend(
      organizationId: string,
      body: Options<PlatformIn['organizations']['suspend'], 'organizationId'>,
    ): Promise<PlatformOut['organizations']['suspend']>;
    unsuspend(organizationId: string): Promise<PlatformOut['organizations']['unsuspend']>;
  };
  users: {
    list(filter?: Filter<PlatformIn['users']['list']>): PagedList<PlatformOut['users']['list']['items'][number]>;
    retrieve(userId: string): Promise<PlatformOut['users']['retrieve']>;
    deactivate(userId: string): Promise<PlatformOut['users']['deactivate']>;
    activate(userId: string): Promise<PlatformOut['users']['activate']>;
  };
  /** Permissions of the integrator's own (`workflows:read`): what roles, key scopes and keys.verify may name. */
  permissions: {
    create(body: PlatformIn['permissions']['create']): Promise<PlatformOut['permissions']['create']>;
    list(): Promise<PlatformOut['permissions']['list']>;
    update(
      key: string,
      body: Options<PlatformIn['permissions']['update'], 'key'>,
    ): Promise<PlatformOut['permissions']['update']>;
    /** `force` also takes it from every role and key that holds it (else CONFLICT HAS_DEPENDENCIES). */
    delete(
      key: string,
      options?: Options<PlatformIn['permissions']['delete'], 'key'>,
    ): Promise<PlatformOut['permissions']['delete']>;
  };
}

export const platform = (trpc: Trpc): PlatformResource => ({
  createKey: (body) => trpc.platform.createKey.mutate(body),
  rotateSigningKey: () => trpc.platform.rotateSigningKey.mutate(),
  organizations: {
    list: (filter) => paged((cursor) => trpc.platform.organizations.list.query({ ...filter, cursor })),
    update: (organizationId, body) => trpc.platform.organizations.update.mutate({ ...body, organizationId }),
    suspend: (organizationId, body) => trpc.platform.organizations.suspend.mutate({ ...body, organizationId }),
    unsuspend: (organizationId) => trpc.platform.organizations.unsuspend.mutate({ organizationId }),
  },
  users: {
    list: (filter) => paged((cursor) => trpc.platform.users.list.query({ ...filter, cursor })),
    retrieve: (userId) => trpc.platform.users.retrieve.query({ userId }),
    deactivate: (userId) => trpc.platform.users.deactivate.mutate({ userId }),
    activate: (userId) => trpc.platform.users.activate.mutate({ userId }),
  },
  permissions: {
    create: (body) => trpc.platform.permissions.create.mutate(body),
    list: () => trpc.platform.permissions.list.query(),
    update: (key, body) => trpc.platform.permissions.update.mutate({ ...body, key }),
    delete: (key, options) => trpc.platform.permissions.delete.mutate({ ...options, key }),
  },
});

type SaIn = In['serviceAccounts'];
type SaOut = Out['serviceAccounts'];
type Sa = Org | 'serviceAccountId';
type Cred = Sa | 'credentialId';

/** An organization's machine identities and their client credentials (seed 001). */
export interface ServiceAccountsResource {
  create(organizationId: string, body: Options<SaIn['create'], Org>): Promise<SaOut['create']>;
  list(organizationId: string, filter?: Filter<SaIn['list'], Org>): PagedList<SaOut['list']['items'][number]>;
  retrieve(
    organizationId: string,
    serviceAccountId: string,
    options?: Options<SaIn['retrieve'], Sa>,
  ): Promise<SaOut['retrieve']>;
  update(organizationId: string, serviceAccountId: string, body: Options<SaIn['update'], Sa>): Promise<SaOut['update']>;
  delete(organizationId: string, serviceAccountId: string): Promise<SaOut['delete']>;
  credentials: {
    /** The client secret is shown this once. */
    create(
      organizationId: string,
      serviceAccountId: string,
      body?: Options<SaIn['credentials']['create'], Sa>,
    ): Promise<SaOut['credentials']['create']>;
    list(
      organizationId: string,
      serviceAccountId: string,
      filter?: Filter<SaIn['credentials']['list'], Sa>,
    ): PagedList<SaOut['credentials']['list']['items'][number]>;
    retrieve(
      organizationId: string,
      serviceAccountId: string,
      credentialId: string,
    ): Promise<SaOut['credentials']['retrieve']>;
    update(
      organizationId: string,
      serviceAccountId: string,
      credentialId: string,
      body: Options<SaIn['credentials']['update'], Cred>,
    ): Promise<SaOut['credentials']['update']>;
    delete(
      organizationId: string,
      serviceAccountId: string,
      credentialId: string,
    ): Promise<SaOut['credentials']['delete']>;
  };
}

export const serviceAccounts = (trpc: Trpc): ServiceAccountsResource => {
  const s = trpc.serviceAccounts;
  return {
    create: (organizationId, body) => s.create.mutate({ ...body, organizationId }),
    list: (organizationId, filter) => paged((cursor) => s.list.query({ ...filter, organizationId, cursor })),
    retrieve: (organizationId, serviceAccountId, options) =>
      s.retrieve.query({ ...options, organizationId, serviceAccountId }),
    update: (organizationId, serviceAccountId, body) => s.update.mutate({ ...body, organizationId, serviceAccountId }),
    delete: (organizationId, serviceAccountId) => s.delete.mutate({ organizationId, serviceAccountId }),
    credentials: {
      create: (organizationId, serviceAccountId, body) =>
        s.credentials.create.mutate({ ...body, organizationId, serviceAccountId }),
      list: (organizationId, serviceAccountId, filter) =>
        paged((cursor) => s.credentials.list.query({ ...filter, organizationId, serviceAccountId, cursor })),
      retrieve: (organizationId, serviceAccountId, credentialId) =>
        s.credentials.retrieve.query({ organizationId, serviceAccountId, credentialId }),
      update: (organizationId, serviceAccountId, credentialId, body) =>
        s.credentials.update.mutate({ ...body, organizationId, serviceAccountId, credentialId }),
      delete: (organizationId, serviceAccountId, credentialId) =>
        s.credentials.delete.mutate({ organizationId, serviceAccountId, credentialId }),
    },
  };
};

type TeamIn = In['teams'];
type TeamOut = Out['teams'];
type Team = Org | 'teamId';

/** An organization's teams: members inherit the roles a team holds (issue 15). */
export interface TeamsResource {
  create(organizationId: string, body: Options<TeamIn['create'], Org>): Promise<TeamOut['create']>;
  list(organizationId: string, filter?: Filter<TeamIn['list'], Org>): PagedList<TeamOut['list']['items'][number]>;
  retrieve(
    organizationId: string,
    teamId: string,
    options?: Options<TeamIn['retrieve'], Team>,
  ): Promise<TeamOut['retrieve']>;
  update(organizationId: string, teamId: string, body: Options<TeamIn['update'], Team>): Promise<TeamOut['update']>;
  delete(organizationId: string, teamId: string): Promise<TeamOut['delete']>;
  addMember(
    organizationId: string,
    teamId: string,
    body: Options<TeamIn['addMember'], Team>,
  ): Promise<TeamOut['addMember']>;
  removeMember(organizationId: string, teamId: string, userId: string): Promise<TeamOut['removeMember']>;
  members(
    organizationId: string,
    teamId: string,
    filter?: Filter<TeamIn['members'], Team>,
  ): PagedList<TeamOut['members']['items'][number]>;
  grantRole(
    organizationId: string,
    teamId: string,
    body: Options<TeamIn['grantRole'], Team>,
  ): Promise<TeamOut['grantRole']>;
  revokeRole(
    organizationId: string,
    teamId: string,
    options?: Options<TeamIn['revokeRole'], Team>,
  ): Promise<TeamOut['revokeRole']>;
}

export const teams = (trpc: Trpc): TeamsResource => {
  const t = trpc.teams;
  return {
    create: (organizationId, body) => t.create.mutate({ ...body, organizationId }),
    list: (organizationId, filter) => paged((cursor) => t.list.query({ ...filter, organizationId, cursor })),
    retrieve: (organizationId, teamId, options) => t.retrieve.query({ ...options, organizationId, teamId }),
    update: (organizationId, teamId, body) => t.update.mutate({ ...body, organizationId, teamId }),
    delete: (organizationId, teamId) => t.delete.mutate({ organizationId, teamId }),
    addMember: (organizationId, teamId, body) => t.addMember.mutate({ ...body, organizationId, teamId }),
    removeMember: (organizationId, teamId, userId) => t.removeMember.mutate({ organizationId, teamId, userId }),
    members: (organizationId, teamId, filter) =>
      paged((cursor) => t.members.query({ ...filter, organizationId, teamId, cursor })),
    grantRole: (organizationId, teamId, body) => t.grantRole.mutate({ ...body, organizationId, teamId }),
    revokeRole: (organizationId, teamId, options) => t.revokeRole.mutate({ ...options, organizationId, teamId }),
  };
};

type PrjIn = In['projects'];
type PrjOut = Out['projects'];
type Prj = Org | 'projectId';

/** An organization's projects and their collaborators, external users included (issue 15). */
export interface ProjectsResource {
  create(organizationId: string, body: Options<PrjIn['create'], Org>): Promise<PrjOut['create']>;
  /** The projects the caller reaches. */
  list(organizationId: string, filter?: Filter<PrjIn['list'], Org>): PagedList<PrjOut['list']['items'][number]>;
  retrieve(
    organizationId: string,
    projectId: string,
    options?: Options<PrjIn['retrieve'], Prj>,
  ): Promise<PrjOut['retrieve']>;
  update(organizationId: string, projectId: string, body: Options<PrjIn['update'], Prj>): Promise<PrjOut['update']>;
  delete(organizationId: string, projectId: string): Promise<PrjOut['delete']>;
  addCollaborator(
    organizationId: string,
    projectId: string,
    body: Options<PrjIn['addCollaborator'], Prj>,
  ): Promise<PrjOut['addCollaborator']>;
  removeCollaborator(
    organizationId: string,
    projectId: string,
    body: Options<PrjIn['removeCollaborator'], Prj>,
  ): Promise<PrjOut['removeCollaborator']>;
  collaborators(
    organizationId: string,
    projectId: string,
    filter?: Filter<PrjIn['collaborators'], Prj>,
  ): PagedList<PrjOut['collaborators']['items'][number]>;
}

export const projects = (trpc: Trpc): ProjectsResource => {
  const p = trpc.projects;
  return {
    create: (organizationId, body) => p.create.mutate({ ...body, organizationId }),
    list: (organizationId, filter) => paged((cursor) => p.list.query({ ...filter, organizationId, cursor })),
    retrieve: (organizationId, projectId, options) => p.retrieve.query({ ...options, organizationId, projectId }),
    update: (organizationId, projectId, body) => p.update.mutate({ ...body, organizationId, projectId }),
    delete: (organizationId, projectId) => p.delete.mutate({ organizationId, projectId }),
    addCollaborator: (organizationId, projectId, body) =>
      p.addCollaborator.mutate({ ...body, organizationId, projectId } as PrjIn['addCollaborator']),
    removeCollaborator: (organizationId, projectId, body) =>
      p.removeCollaborator.mutate({ ...body, organizationId, projectId } as PrjIn['removeCollaborator']),
    collaborators: (organizationId, projectId, filter) =>
      paged((cursor) => p.collaborators.query({ ...filter, organizationId, projectId, cursor })),
  };
};

/** Why can X do Y: the decision with the chain that grants it, or the missing link. */
export interface PermissionsResource<P extends string = AnyPermission> {
  /** Every permission there is (built-in and registered) and the built-in roles that hold each. */
  catalogue(): Promise<Out['permissions']['catalogue']>;
  explain(
    organizationId: string,
    body: Options<In['permissions']['explain'], Org> & { permission: P },
  ): Promise<Out['permissions']['explain']>;
}

export const permissions = (trpc: Trpc): PermissionsResource => ({
  catalogue: () => trpc.permissions.catalogue.query(),
  explain: (organizationId, body) => trpc.permissions.explain.query({ ...body, organizationId }),
});

/** Verifying a key a caller of your service presented (the Unkey shape): an answer, never an error. */
export interface KeysResource<P extends string = AnyPermission> {
  /** `permissions`: all of a list, or a query string (`a and (b or c)`), which no type can check. */
  verify(input: Listing<In['keys']['verify'], 'permissions', P>): Promise<Out['keys']['verify']>;
}

export const keys = (trpc: Trpc): KeysResource => ({
  verify: (input) => trpc.keys.verify.mutate(input),
});

/** The organization's SSO connection (OIDC): one per organization. Sign-in itself is a redirect (/sso/…). */
export interface SsoResource {
  enable(organizationId: string, body: Options<In['sso']['enable'], 'organizationId'>): Promise<Out['sso']['enable']>;
  retrieve(
    organizationId: string,
    options?: Options<In['sso']['retrieve'], 'organizationId'>,
  ): Promise<Out['sso']['retrieve']>;
  update(organizationId: string, body: Options<In['sso']['update'], 'organizationId'>): Promise<Out['sso']['update']>;
  disable(organizationId: string): Promise<Out['sso']['disable']>;
  /** Runs discovery and the JWKS fetch again; each step's result, for a console. */
  test(organizationId: string): Promise<Out['sso']['test']>;
}

export const sso = (trpc: Trpc): SsoResource => ({
  enable: (organizationId, body) => trpc.sso.enable.mutate({ ...body, organizationId }),
  retrieve: (organizationId, options) => trpc.sso.retrieve.query({ ...options, organizationId }),
  update: (organizationId, body) => trpc.sso.update.mutate({ ...body, organizationId }),
  disable: (organizationId) => trpc.sso.disable.mutate({ organizationId }),
  test: (organizationId) => trpc.sso.test.mutate({ organizationId }),
});
