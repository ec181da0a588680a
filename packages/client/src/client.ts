import { createTRPCClient, httpBatchLink, type TRPCClient, type TRPCLink } from '@trpc/client';
import superjson from 'superjson';
import { errorLink } from './errors.js';
import * as resources from './resources.js';
import type { AppRouter } from './router.js';
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

export interface GatehouseClient {
  /** The raw typed tRPC proxy: every procedure of the router tree. */
  trpc: TRPCClient<AppRouter>;
  auth: resources.AuthResource;
  users: resources.UsersResource;
  organizations: resources.OrganizationsResource;
  invitations: resources.InvitationsResource;
  roles: resources.RolesResource;
  audit: resources.AuditResource;
  credits: resources.CreditsResource;
  platform: resources.PlatformResource;
  serviceAccounts: resources.ServiceAccountsResource;
  teams: resources.TeamsResource;
  projects: resources.ProjectsResource;
  permissions: resources.PermissionsResource;
  keys: resources.KeysResource;
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

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
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
    sso: resources.sso(trpc),
  };
}
