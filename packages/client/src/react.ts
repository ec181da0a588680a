// React bindings on tRPC's TanStack Query integration: a provider that carries the credential, and
// typed query/mutation options for every procedure. Import from `@gatehouse/client/react`.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCContext, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { createContext, createElement, type ReactNode, useContext, useMemo, useState } from 'react';
import { createGatehouseClient, type GatehouseClient, type GatehouseClientOptions } from './client.js';
import type { AppRouter } from './router.js';

const trpcContext = createTRPCContext<AppRouter>();
const FacadeContext = createContext<GatehouseClient | null>(null);

export interface GatehouseProviderProps extends GatehouseClientOptions {
  children?: ReactNode;
  /** Your app's QueryClient, if it has one; otherwise the provider makes its own. */
  queryClient?: QueryClient;
}

/**
 * Makes a Gatehouse client for its children with this credential. A new `apiKey`, `accessToken`,
 * `organizationId` or `url` makes a new client; other options are read when it is made.
 */
export function GatehouseProvider({ children, queryClient, ...options }: GatehouseProviderProps) {
  const [ownQueryClient] = useState(() => queryClient ?? new QueryClient());
  // biome-ignore lint/correctness/useExhaustiveDependencies: the credential and where it goes decide the client
  const client = useMemo(
    () => createGatehouseClient(options),
    [options.url, options.apiKey, options.accessToken, options.organizationId],
  );
  const qc = queryClient ?? ownQueryClient;
  return createElement(
    QueryClientProvider,
    { client: qc },
    createElement(
      FacadeContext.Provider,
      { value: client },
      createElement(trpcContext.TRPCProvider, { trpcClient: client.trpc, queryClient: qc, children }),
    ),
  );
}

/**
 * Typed TanStack Query options for every procedure:
 * `useQuery(gh.organizations.members.queryOptions({ organizationId }))`,
 * `useMutation(gh.organizations.invite.mutationOptions())`, `gh.organizations.members.queryKey()`.
 */
export const useGatehouseQueries: () => TRPCOptionsProxy<AppRouter> = trpcContext.useTRPC;

/** The SDK facade of the nearest GatehouseProvider, for imperative calls (event handlers, paging). */
export function useGatehouse(): GatehouseClient {
  const client = useContext(FacadeContext);
  if (!client) throw new Error('useGatehouse must be used inside <GatehouseProvider>');
  return client;
}
