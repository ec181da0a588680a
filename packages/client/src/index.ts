// The router type only, from its own entry point: a consumer loads no server code and no ORM types.
import type { AppRouter } from '@gatehouse/api/router';
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type GatehouseClientError = TRPCClientError<AppRouter>;

export interface GatehouseClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** A user API key (`gh_…`). */
  apiKey?: string;
  /** A session token or a service account's access token. */
  accessToken?: string;
  /** Extra headers on every request, e.g. `X-Gatehouse-Organization`. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

type In = RouterInputs;
type Out = RouterOutputs;

export interface Page<T> {
  items: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A list that pages itself: `for await (const key of gh.auth.listKeys())`, or one `.page()` at a time. */
export interface PagedList<T> extends AsyncIterable<T> {
  page(cursor?: string): Promise<Page<T>>;
}

function paged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): PagedList<T> {
  return {
    page: fetchPage,
    async *[Symbol.asyncIterator]() {
      let cursor: string | undefined;
      do {
        const page = await fetchPage(cursor);
        yield* page.items;
        cursor = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
      } while (cursor);
    },
  };
}

export interface GatehouseClient {
  /** The raw typed tRPC proxy: every procedure of the router tree. */
  trpc: TRPCClient<AppRouter>;
  auth: {
    whoami(): Promise<Out['auth']['whoami']>;
    signup(input: In['auth']['signup']): Promise<Out['auth']['signup']>;
    login(input: In['auth']['login']): Promise<Out['auth']['login']>;
    logout(): Promise<Out['auth']['logout']>;
    createKey(input: In['auth']['createKey']): Promise<Out['auth']['createKey']>;
    listKeys(filter?: Omit<In['auth']['listKeys'], 'cursor'>): PagedList<Out['auth']['getKey']>;
    getKey(keyId: string): Promise<Out['auth']['getKey']>;
    revokeKey(keyId: string): Promise<Out['auth']['revokeKey']>;
    rotateKey(keyId: string, options?: { gracePeriodSeconds?: number }): Promise<Out['auth']['rotateKey']>;
  };
  users: {
    me(): Promise<Out['users']['me']>;
    updateMe(input: In['users']['updateMe']): Promise<Out['users']['updateMe']>;
    list(filter?: Omit<In['users']['list'], 'cursor'>): PagedList<Out['users']['retrieve']>;
    retrieve(userId: string): Promise<Out['users']['retrieve']>;
    create(input: In['users']['create']): Promise<Out['users']['create']>;
    update(input: In['users']['update']): Promise<Out['users']['update']>;
    deactivate(ref: In['users']['deactivate']): Promise<Out['users']['deactivate']>;
    activate(ref: In['users']['activate']): Promise<Out['users']['activate']>;
    archive(userId: string): Promise<Out['users']['archive']>;
    delete(userId: string): Promise<Out['users']['delete']>;
    preRegister(input: In['users']['preRegister']): Promise<Out['users']['preRegister']>;
  };
  organizations: {
    create(input: In['organizations']['create']): Promise<Out['organizations']['create']>;
    /** Your organizations (an API key: its own). */
    list(): PagedList<Out['organizations']['retrieve']>;
    retrieve(organizationId: string, options?: { expand?: 'permissions'[] }): Promise<Out['organizations']['retrieve']>;
    update(input: In['organizations']['update']): Promise<Out['organizations']['update']>;
    delete(organizationId: string): Promise<Out['organizations']['delete']>;
    members(
      organizationId: string,
      filter?: Omit<In['organizations']['members'], 'organizationId' | 'cursor'>,
    ): PagedList<Out['organizations']['members']['items'][number]>;
    addMember(input: In['organizations']['addMember']): Promise<Out['organizations']['addMember']>;
    removeMember(organizationId: string, userId: string): Promise<Out['organizations']['removeMember']>;
    updateMemberRole(input: In['organizations']['updateMemberRole']): Promise<Out['organizations']['updateMemberRole']>;
    transferOwnership(organizationId: string, userId: string): Promise<Out['organizations']['transferOwnership']>;
    listRoles(organizationId: string): Promise<Out['organizations']['listRoles']>;
    invite(input: In['organizations']['invite']): Promise<Out['organizations']['invite']>;
    listInvitations(
      organizationId: string,
      filter?: Omit<In['organizations']['listInvitations'], 'organizationId' | 'cursor'>,
    ): PagedList<Out['organizations']['listInvitations']['items'][number]>;
    cancelInvitation(organizationId: string, invitationId: string): Promise<Out['organizations']['cancelInvitation']>;
  };
  /** The invitee's side (by token, no credential needed) and resend (by id). */
  invitations: {
    lookup(token: string): Promise<Out['invitations']['lookup']>;
    accept(input: In['invitations']['accept']): Promise<Out['invitations']['accept']>;
    decline(token: string): Promise<Out['invitations']['decline']>;
    resend(invitationId: string): Promise<Out['invitations']['resend']>;
  };
  roles: {
    list(organizationId: string): Promise<Out['roles']['list']>;
    create(input: In['roles']['create']): Promise<Out['roles']['create']>;
    update(input: In['roles']['update']): Promise<Out['roles']['update']>;
    delete(input: In['roles']['delete']): Promise<Out['roles']['delete']>;
  };
  audit: {
    list(
      organizationId: string,
      filter?: Omit<In['audit']['list'], 'organizationId' | 'cursor'>,
    ): PagedList<Out['audit']['list']['items'][number]>;
  };
  credits: {
    balance(organizationId: string): Promise<Out['credits']['balance']>;
    /** The ledger, newest first. */
    transactions(
      organizationId: string,
      filter?: Omit<In['credits']['transactions'], 'organizationId' | 'cursor'>,
    ): PagedList<Out['credits']['transactions']['items'][number]>;
    grant(input: In['credits']['grant']): Promise<Out['credits']['grant']>;
    consume(input: In['credits']['consume']): Promise<Out['credits']['consume']>;
    refund(input: In['credits']['refund']): Promise<Out['credits']['refund']>;
    reserve(input: In['credits']['reserve']): Promise<Out['credits']['reserve']>;
    capture(input: In['credits']['capture']): Promise<Out['credits']['capture']>;
    release(reservationId: string): Promise<Out['credits']['release']>;
  };
}

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  const bearer = options.apiKey ?? options.accessToken;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, '')}/trpc`,
        transformer: superjson,
        // Must not exceed the server's batch limit.
        maxItems: 10,
        headers: () => ({ ...options.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
  return {
    trpc,
    auth: {
      whoami: () => trpc.auth.whoami.query(),
      signup: (input) => trpc.auth.signup.mutate(input),
      login: (input) => trpc.auth.login.mutate(input),
      logout: () => trpc.auth.logout.mutate(),
      createKey: (input) => trpc.auth.createKey.mutate(input),
      listKeys: (filter = {}) => paged((cursor) => trpc.auth.listKeys.query({ ...filter, cursor })),
      getKey: (keyId) => trpc.auth.getKey.query({ keyId }),
      revokeKey: (keyId) => trpc.auth.revokeKey.mutate({ keyId }),
      rotateKey: (keyId, options = {}) => trpc.auth.rotateKey.mutate({ keyId, ...options }),
    },
    users: {
      me: () => trpc.users.me.query(),
      updateMe: (input) => trpc.users.updateMe.mutate(input),
      list: (filter = {}) => paged((cursor) => trpc.users.list.query({ ...filter, cursor })),
      retrieve: (userId) => trpc.users.retrieve.query({ userId }),
      create: (input) => trpc.users.create.mutate(input),
      update: (input) => trpc.users.update.mutate(input),
      deactivate: (ref) => trpc.users.deactivate.mutate(ref),
      activate: (ref) => trpc.users.activate.mutate(ref),
      archive: (userId) => trpc.users.archive.mutate({ userId }),
      delete: (userId) => trpc.users.delete.mutate({ userId }),
      preRegister: (input) => trpc.users.preRegister.mutate(input),
    },
    organizations: {
      create: (input) => trpc.organizations.create.mutate(input),
      list: () => paged((cursor) => trpc.organizations.list.query({ cursor })),
      retrieve: (organizationId, options = {}) => trpc.organizations.retrieve.query({ organizationId, ...options }),
      update: (input) => trpc.organizations.update.mutate(input),
      delete: (organizationId) => trpc.organizations.delete.mutate({ organizationId }),
      members: (organizationId, filter = {}) =>
        paged((cursor) => trpc.organizations.members.query({ organizationId, ...filter, cursor })),
      addMember: (input) => trpc.organizations.addMember.mutate(input),
      removeMember: (organizationId, userId) => trpc.organizations.removeMember.mutate({ organizationId, userId }),
      updateMemberRole: (input) => trpc.organizations.updateMemberRole.mutate(input),
      transferOwnership: (organizationId, userId) =>
        trpc.organizations.transferOwnership.mutate({ organizationId, userId }),
      listRoles: (organizationId) => trpc.organizations.listRoles.query({ organizationId }),
      invite: (input) => trpc.organizations.invite.mutate(input),
      listInvitations: (organizationId, filter = {}) =>
        paged((cursor) => trpc.organizations.listInvitations.query({ organizationId, ...filter, cursor })),
      cancelInvitation: (organizationId, invitationId) =>
        trpc.organizations.cancelInvitation.mutate({ organizationId, invitationId }),
    },
    invitations: {
      lookup: (token) => trpc.invitations.lookup.query({ token }),
      accept: (input) => trpc.invitations.accept.mutate(input),
      decline: (token) => trpc.invitations.decline.mutate({ token }),
      resend: (invitationId) => trpc.invitations.resend.mutate({ invitationId }),
    },
    roles: {
      list: (organizationId) => trpc.roles.list.query({ organizationId }),
      create: (input) => trpc.roles.create.mutate(input),
      update: (input) => trpc.roles.update.mutate(input),
      delete: (input) => trpc.roles.delete.mutate(input),
    },
    audit: {
      list: (organizationId, filter = {}) =>
        paged((cursor) => trpc.audit.list.query({ organizationId, ...filter, cursor })),
    },
    credits: {
      balance: (organizationId) => trpc.credits.balance.query({ organizationId }),
      transactions: (organizationId, filter = {}) =>
        paged((cursor) => trpc.credits.transactions.query({ organizationId, ...filter, cursor })),
      grant: (input) => trpc.credits.grant.mutate(input),
      consume: (input) => trpc.credits.consume.mutate(input),
      refund: (input) => trpc.credits.refund.mutate(input),
      reserve: (input) => trpc.credits.reserve.mutate(input),
      capture: (input) => trpc.credits.capture.mutate(input),
      release: (reservationId) => trpc.credits.release.mutate({ reservationId }),
    },
  };
}

/** Narrows an unknown error to a Gatehouse error, whose `data.reason` is machine-readable. */
export function isGatehouseError(error: unknown): error is GatehouseClientError {
  return error instanceof TRPCClientError;
}
export {
  type AccessTokenClaims,
  createTokenVerifier,
  type TokenErrorCode,
  TokenVerificationError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';
