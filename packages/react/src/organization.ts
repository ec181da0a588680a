// Which organization a component acts in, and what the caller may do there.
import { useGatehouseQueries, useSession } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';

/** The `organizationId` prop, else the organization the caller acts in now (null while unknown). */
export function useOrganizationId(organizationId?: string): string | null {
  const session = useSession();
  return organizationId ?? session.organization?.id ?? null;
}

/**
 * Whether the caller holds `permission` in the organization, asked of permissions.explain (the server's
 * one decision, the key's scopes included), so a component offers only what would be allowed. Still a
 * hint: the server decides again, and a refused change is shown as such. false until answered.
 */
export function useCan(organizationId: string | null, permission: string): boolean {
  const gh = useGatehouseQueries();
  const { user } = useSession();
  const principalId = user?.apiKey?.id ?? user?.serviceAccount?.id ?? user?.userId;
  const query = useQuery({
    ...gh.permissions.explain.queryOptions({
      organizationId: organizationId ?? '',
      principalId: principalId ?? '',
      permission,
    }),
    enabled: Boolean(organizationId && principalId),
    retry: false,
  });
  return query.data?.allowed ?? false;
}
