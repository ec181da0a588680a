// GraphQL over HTTP to the in-process app, as a seed-004 client sends it.
import type { App } from '../app.js';
import { fromPeer } from '../app.js';

export interface GraphQLAnswer {
  status: number;
  headers: Headers;
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown> & { code?: string; reason?: string } }[] | undefined;
}

/** X-API-KEY + X-API-SECRET: a key's public prefix (`gh_xxxxxxxx`) and its secret part. */
export function keyPair(key: string): Record<string, string> {
  const cut = key.lastIndexOf('_');
  return { 'x-api-key': key.slice(0, cut), 'x-api-secret': key.slice(cut + 1) };
}

export async function gql(
  app: App,
  query: string,
  opts: { variables?: Record<string, unknown>; headers?: Record<string, string>; peer?: string } = {},
): Promise<GraphQLAnswer> {
  const res = await app.request(
    '/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify({ query, ...(opts.variables ? { variables: opts.variables } : {}) }),
    },
    fromPeer(opts.peer ?? '192.0.2.20'),
  );
  const body = (await res.json()) as Pick<GraphQLAnswer, 'data' | 'errors'>;
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

export const LIST_USERS =
  'query ListUsers { listUsers { ok activeUsers { uid email name accountType } invitedUsers { email accountType inviteStatus } } }';
export const INVITE_USER =
  'mutation InviteUser($email: String!, $accountType: UserAccountType!) { inviteUser(email: $email, accountType: $accountType) { ok } }';
export const UPDATE_USER_ACCOUNT_TYPE =
  'mutation UpdateUserAccountType($uid: String!, $accountType: UserAccountType!) { updateUserAccountType(uid: $uid, accountType: $accountType) { ok } }';
export const DISABLE_USER = 'mutation DisableUser($uid: String!) { disableUser(uid: $uid) { ok } }';
