import {
  AppError,
  type AppRouter,
  appRouter,
  type BrowserOptions,
  createCallerFactory,
  createContext,
  type Runtime,
} from '@gatehouse/api';
import { createSchema } from 'graphql-yoga';
import { type ErrorLog, toGraphQLError } from './errors.js';

/**
 * The User Management API of seed 004, exactly as its clients call it. Nothing here decides anything:
 * every field calls the tRPC procedure that /trpc serves, with the context /trpc builds, so every
 * authorization and business rule (and every refusal's reason) is the procedure's own.
 */
export const typeDefs = /* GraphQL */ `
  enum UserAccountType {
    ADMIN
    DEVELOPER
  }

  enum InviteStatus {
    "Pending: the invitation can still be accepted."
    ACTIVE
    EXPIRED
  }

  type ActiveUser {
    uid: String!
    email: String!
    name: String!
    accountType: UserAccountType!
  }

  type InvitedUser {
    email: String!
    accountType: UserAccountType!
    inviteStatus: InviteStatus!
  }

  type ListUsersResponse {
    ok: Boolean!
    activeUsers: [ActiveUser!]!
    invitedUsers: [InvitedUser!]!
  }

  type OkResponse {
    ok: Boolean!
  }

  type Query {
    listUsers: ListUsersResponse
  }

  type Mutation {
    inviteUser(email: String!, accountType: UserAccountType!): OkResponse
    updateUserAccountType(uid: String!, accountType: UserAccountType!): OkResponse
    disableUser(uid: String!): OkResponse
  }
`;

const createCaller = createCallerFactory(appRouter);
export type TrpcCaller = ReturnType<AppRouter['createCaller']>;

type AccountType = 'ADMIN' | 'DEVELOPER';

/**
 * Owners and admins are ADMIN; every other role (member, viewer, custom roles) is DEVELOPER, since the
 * seed's enum has no third value. Given as input, ADMIN is the admin role and DEVELOPER the member role.
 */
export const accountTypeOf = (role: string): AccountType =>
  role === 'owner' || role === 'admin' ? 'ADMIN' : 'DEVELOPER';
const roleOf = (accountType: AccountType) => (accountType === 'ADMIN' ? 'admin' : 'member');

/** What the HTTP app hands each GraphQL request: the same inputs /trpc builds its context from. */
export interface GraphQLRequestContext {
  headers: Headers;
  requestId: string;
  ip: string | null;
  method?: string;
  browser?: BrowserOptions;
}

/** What one GraphQL request's resolvers share. */
export interface GraphQLContext {
  trpc: TrpcCaller;
  log: ErrorLog;
  /** The caller's organization (as users.* resolve it), looked up once per request. */
  organizationId(): Promise<string>;
}

export interface SchemaOptions {
  /** Most active members, and most invitations, listUsers reads before refusing (it reads all or nothing). */
  maxListed: number;
}

const PAGE = 200;

async function readAll<T>(
  fetchPage: (cursor: string | undefined) => Promise<{
    items: T[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }>,
  keep: (item: T) => boolean,
  max: number,
  what: string,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await fetchPage(cursor);
    scanned += page.items.length;
    out.push(...page.items.filter(keep));
    // A partial list would read as "these are all the users": refuse instead of truncating.
    if (scanned > max) {
      throw new AppError('BAD_REQUEST', `More than ${max} ${what}: page through them over /trpc or /api/v1`);
    }
    cursor = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
  } while (cursor);
  return out;
}

/** Runs a resolver, turning what the procedures throw into GraphQL errors with the tRPC code and reason. */
function field<A, R>(path: string, resolve: (args: A, ctx: GraphQLContext) => Promise<R>) {
  return async (_parent: unknown, args: A, ctx: GraphQLContext): Promise<R> => {
    try {
      return await resolve(args, ctx);
    } catch (error) {
      throw toGraphQLError(error, path, ctx.log);
    }
  };
}

async function readUsers(_args: Record<string, never>, { trpc, organizationId }: GraphQLContext, maxListed: number) {
  const org = await organizationId();
  const [members, pending, expired] = await Promise.all([
    readAll(
      (cursor) => trpc.organizations.members({ organizationId: org, limit: PAGE, cursor }),
      (m) => m.status === 'active' && !m.external,
      maxListed,
      'members',
    ),
    readAll(
      (cursor) => trpc.organizations.listInvitations({ organizationId: org, status: 'pending', limit: PAGE, cursor }),
      () => true,
      maxListed,
      'pending invitations',
    ),
    readAll(
      (cursor) => trpc.organizations.listInvitations({ organizationId: org, status: 'expired', limit: PAGE, cursor }),
      () => true,
      maxListed,
      'expired invitations',
    ),
  ]);
  return {
    ok: true,
    activeUsers: members.map((m) => ({
      uid: m.userId,
      email: m.email,
      name: m.name,
      accountType: accountTypeOf(m.role),
    })),
    invitedUsers: [
      ...pending.map((i) => ({ email: i.email, accountType: accountTypeOf(i.role), inviteStatus: 'ACTIVE' })),
      ...expired.map((i) => ({ email: i.email, accountType: accountTypeOf(i.role), inviteStatus: 'EXPIRED' })),
    ],
  };
}

export function createResolvers({ maxListed }: SchemaOptions) {
  // listUsers takes no arguments: every alias of it in one document is the same answer, read once.
  // The cost limit prices `{ ok }` at a few points, but each read pages through every member.
  const reads = new WeakMap<GraphQLContext, Promise<unknown>>();
  return {
    Query: {
      listUsers: field('listUsers', (args: Record<string, never>, ctx) => {
        let read = reads.get(ctx);
        if (!read) {
          read = readUsers(args, ctx, maxListed);
          reads.set(ctx, read);
        }
        return read;
      }),
    },
    Mutation: {
      inviteUser: field(
        'inviteUser',
        async (args: { email: string; accountType: AccountType }, { trpc, organizationId }) => {
          await trpc.organizations.invite({
            organizationId: await organizationId(),
            email: args.email,
            role: roleOf(args.accountType),
          });
          return { ok: true };
        },
      ),
      updateUserAccountType: field(
        'updateUserAccountType',
        async (args: { uid: string; accountType: AccountType }, { trpc, organizationId }) => {
          await trpc.organizations.updateMemberRole({
            organizationId: await organizationId(),
            userId: args.uid,
            role: roleOf(args.accountType),
          });
          return { ok: true };
        },
      ),
      // users.deactivate acts in the caller's organization itself: no lookup needed.
      disableUser: field('disableUser', async (args: { uid: string }, { trpc }) => {
        await trpc.users.deactivate({ userId: args.uid });
        return { ok: true };
      }),
    },
  };
}

export const createGraphQLSchema = (options: SchemaOptions) =>
  createSchema<GraphQLRequestContext & GraphQLContext>({ typeDefs, resolvers: createResolvers(options) });

/** The caller of the whole router that /trpc would serve this request with. */
export const callerFor = (
  runtime: Runtime,
  { headers, requestId, ip, method, browser }: GraphQLRequestContext,
): TrpcCaller =>
  createCaller(
    createContext({ runtime, headers, requestId, ip, ...(method ? { method } : {}), ...(browser ? { browser } : {}) }),
  );
