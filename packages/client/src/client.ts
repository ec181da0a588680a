import { createTRPCClient, httpBatchLink, type TRPCClient, type TRPCLink } from '@trpc/client';
import superjson from 'superjson';
import { errorLink } from './errors.js';

// For react.ts: importing errors.js itself there would rename the chunk both entries share.
export { type GatehouseError, isGatehouseError } from './errors.js';

import * as resources from './resources.js';
import type { AppRouter, Catalogue, OpenCatalogue, PermissionOf } from './router.js';
import { instrumentedFetch, type OnRequest, type RetryOptions, retryLink } from './transport.js';

export interface GatehouseClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** A user API key (`gh_…`). */
  apiKey?: string | undefined;
  /** A session token or a service account's access token. */
  accessToken?: string | undefined;
  /**
   * Which of a session user's organizations to act in (`X-Gatehouse-Organization`). A key or an access
   * token acts in its own only: naming another makes every call NOT_FOUND.
   */
  organizationId?: string | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Gives up on one HTTP request after this long (each retry gets its own). Default 30 s; 0: never. */
  timeoutMs?: number | undefined;
  /** Retries on 429/503 of queries and of calls carrying an idempotency key; `false` turns them off. */
  retry?: RetryOptions | false | undefined;
  /** A hook before every HTTP request, for tracing: set headers, time the response. */
  onRequest?: OnRequest | undefined;
  fetch?: ((url: string, init?: RequestInit) => Promise<Response>) | undefined;
}

export interface GatehouseClient<C extends Catalogue = OpenCatalogue> {
  /** The raw typed tRPC proxy: every procedure of the router tree (permissions untyped by the catalogue). */
  trpc: TRPCClient<AppRouter>;
  auth: resources.AuthResource<PermissionOf<C>>;
  users: resources.UsersResource;
  organizations: resources.OrganizationsResource;
  invitations: resources.InvitationsResource;
  roles: resources.RolesResource<PermissionOf<C>>;
  audit: resources.AuditResource;
  credits: resources.CreditsResource;
  platform: resources.PlatformResource;
  serviceAccounts: resources.ServiceAccountsResource;
  teams: resources.TeamsResource;
  projects: resources.ProjectsResource;
  permissions: resources.PermissionsResource<PermissionOf<C>>;
  keys: resources.KeysResource<PermissionOf<C>>;
  events: resources.EventsResource;
  webhooks: resources.WebhooksResource;
  sso: resources.SsoResource;
}

/** The raw typed tRPC client with Gatehouse's credential, transformer, timeout, retries and hook. */
export function createGatehouseTRPCClient(options: GatehouseClientOptions): TRPCClient<AppRouter> {
  const bearer = options.apiKey ?? options.accessToken;
  const headers = {
    ...options.headers,
    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    ...(options.organizationId ? { 'x-gatehouse-organization': options.organizationId } : {}),
  };
  const fetchImpl = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const base = options.url.replace(/\/+$/, '');
  const terminal = httpBatchLink<AppRouter>({
    url: `${base}/trpc`,
    transformer: superjson,
    // Must not exceed the server's batch limit.
    maxItems: 10,
    headers,
    fetch: instrumentedFetch(fetchImpl, options.timeoutMs ?? 30_000, options.onRequest),
  });
  const links: TRPCLink<AppRouter>[] = [errorLink<AppRouter>(base)];
  if (options.retry !== false) links.push(retryLink<AppRouter>(options.retry ?? {}));
  return createTRPCClient<AppRouter>({ links: [...links, terminal] });
}

/**
 * The client. `createGatehouseClient<{ permissions: 'workflows:read' | 'workflows:execute' }>(options)`
 * types every permission its resources take to the built-in catalogue and yours.
 */
export function createGatehouseClient<C extends Catalogue = OpenCatalogue>(
  options: GatehouseClientOptions,
): GatehouseClient<C> {
  const trpc = createGatehouseTRPCClient(options);
  return {
    trpc,
    auth: resources.auth(trpc),
    users: resources.users(trpc),
    organizations: resources.organizations(trpc),
    invitations: resources.invitations(trpc),
    roles: resources.roles(trpc),
    audit: resources.audit(trpc),
    credits: resources.credits(trpc),
    platform: resources.platform(trpc),
    serviceAccounts: resources.serviceAccounts(trpc),
    teams: resources.teams(trpc),
    projects: resources.projects(trpc),
    permissions: resources.permissions(trpc),
    keys: resources.keys(trpc),
    events: resources.events(trpc),
    webhooks: resources.webhooks(trpc),
    sso: resources.sso(trpc),
  };
}
