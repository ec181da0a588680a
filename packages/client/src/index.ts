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

export interface GatehouseClient {
  /** The raw typed tRPC proxy: every procedure of the router tree. */
  trpc: TRPCClient<AppRouter>;
  auth: {
    whoami(): Promise<RouterOutputs['auth']['whoami']>;
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
    },
  };
}

/** Narrows an unknown error to a Gatehouse error, whose `data.reason` is machine-readable. */
export function isGatehouseError(error: unknown): error is GatehouseClientError {
  return error instanceof TRPCClientError;
}
