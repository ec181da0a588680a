// One adapter per HTTP surface: each turns a surface-neutral operation into that surface's request
// and its answer into an Outcome, so the same case can be asked of every surface. A new surface is
// one more adapter here and one more entry in `surfaces`.
import { expect } from 'vitest';
import type { App } from '../app.js';
import { fromPeer } from '../app.js';
import { DISABLE_USER, gql, INVITE_USER, keyPair, LIST_USERS, UPDATE_USER_ACCOUNT_TYPE } from '../graphql/http.js';
import { bearer, call } from '../hostile/http.js';

/**
 * What a caller asks for, in the terms every surface can express. GraphQL (seed 004) acts in the
 * credential's own organization and names no organization: `organizationId` must be that one. REST
 * names it in every path (the users router's too, where tRPC takes it from the credential).
 */
export type Operation =
  | { op: 'listMembers'; organizationId: string }
  | { op: 'invite'; organizationId: string; email: string; role: 'admin' | 'member' }
  | { op: 'updateMemberRole'; organizationId: string; userId: string; role: 'admin' | 'member' }
  | { op: 'deactivateUser'; organizationId: string; userId: string };

/** How a request ended: the HTTP status, the tRPC code and the reason (`OK` for both on success). */
export interface Outcome {
  status: number;
  code: string;
  reason: string;
  /** A Retry-After header came with it. */
  retryAfter: boolean;
}

export interface Surface {
  name: string;
  /** `key`: the API key (or a session token) to authenticate with (sent the surface's way), or null for none. */
  send(app: App, operation: Operation, key: string | null, peer: string): Promise<Outcome>;
}

/** Success, one outcome on every surface: REST's 201 and 204 (a created resource, no body) count as its 200. */
const ok = (status: number, headers: Headers): Outcome => ({
  status: status === 201 || status === 204 ? 200 : status,
  code: 'OK',
  reason: 'OK',
  retryAfter: headers.has('retry-after'),
});

export const trpc: Surface = {
  name: 'tRPC',
  async send(app, operation, key, peer) {
    const { op, ...input } = operation;
    // The users router acts in the credential's organization and takes no organizationId.
    if (operation.op === 'deactivateUser') delete (input as { organizationId?: string }).organizationId;
    const [path, query] = {
      listMembers: ['organizations.members', true],
      invite: ['organizations.invite', false],
      updateMemberRole: ['organizations.updateMemberRole', false],
      deactivateUser: ['users.deactivate', false],
    }[op] as [string, boolean];
    const answer = await call(app, path, input, { query, peer, headers: key ? bearer(key) : {} });
    if (!answer.error) return ok(answer.status, answer.headers);
    return {
      status: answer.status,
      code: answer.error.code,
      reason: answer.error.reason,
      retryAfter: answer.headers.has('retry-after'),
    };
  },
};

const ACCOUNT_TYPES = { admin: 'ADMIN', member: 'DEVELOPER' } as const;

export const graphql: Surface = {
  name: 'GraphQL',
  async send(app, operation, key, peer) {
    const [query, variables] =
      operation.op === 'listMembers'
        ? [LIST_USERS, undefined]
        : operation.op === 'invite'
          ? [INVITE_USER, { email: operation.email, accountType: ACCOUNT_TYPES[operation.role] }]
          : operation.op === 'updateMemberRole'
            ? [UPDATE_USER_ACCOUNT_TYPE, { uid: operation.userId, accountType: ACCOUNT_TYPES[operation.role] }]
            : [DISABLE_USER, { uid: operation.userId }];
    const answer = await gql(app, query, {
      peer,
      // A session token (ghs_) goes as a bearer: only keys come as a pair.
      headers: key ? (key.startsWith('ghs_') ? bearer(key) : keyPair(key)) : {},
      ...(variables ? { variables } : {}),
    });
    const [error, ...more] = answer.errors ?? [];
    expect(more, 'one operation, at most one error').toEqual([]);
    if (!error) return ok(answer.status, answer.headers);
    return {
      status: answer.status,
      code: String(error.extensions?.code),
      reason: String(error.extensions?.reason),
      retryAfter: answer.headers.has('retry-after'),
    };
  },
};

export const rest: Surface = {
  name: 'REST',
  async send(app, operation, key, peer) {
    const org = `/api/v1/organizations/${operation.organizationId}`;
    const [method, path, body] =
      operation.op === 'listMembers'
        ? ['GET', `${org}/members`]
        : operation.op === 'invite'
          ? ['POST', `${org}/invitations`, { email: operation.email, role: operation.role }]
          : operation.op === 'updateMemberRole'
            ? ['PATCH', `${org}/members/${operation.userId}`, { role: operation.role }]
            : ['POST', `${org}/users/${operation.userId}/deactivate`, {}];
    const res = await app.request(
      path,
      {
        method,
        headers: { ...(key ? bearer(key) : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
      fromPeer(peer),
    );
    if (res.ok) return ok(res.status, res.headers);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { status: number; code: string; reason: string };
    expect(problem.status).toBe(res.status);
    return {
      status: res.status,
      code: problem.code,
      reason: problem.reason,
      retryAfter: res.headers.has('retry-after'),
    };
  },
};

export const surfaces: Surface[] = [trpc, rest, graphql];
