// Names for the ids other answers carry (a member, a team, a project), and the choices a form offers.
// Pickers read the first 200 (the procedures' largest page); a name not among them shows as its id.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';

const PICKER_LIMIT = 200;

/** The organization's users and service accounts (members:read). */
export function useIdentities(organizationId: string) {
  const gh = useGatehouseQueries();
  const query = useQuery(gh.organizations.listIdentities.queryOptions({ organizationId, limit: PICKER_LIMIT }));
  const items = query.data?.items ?? [];
  const nameOf = (id: string | null | undefined) => items.find((i) => i.id === id)?.name ?? id ?? '—';
  return { items, nameOf };
}

/** The projects the caller reaches. */
export function useProjectChoices(organizationId: string) {
  const gh = useGatehouseQueries();
  const query = useQuery(gh.projects.list.queryOptions({ organizationId, limit: PICKER_LIMIT }));
  const items = query.data?.items ?? [];
  const nameOf = (id: string | null | undefined) => items.find((p) => p.id === id)?.name ?? id ?? '—';
  return { items, nameOf };
}

/** The organization's teams. */
export function useTeamChoices(organizationId: string) {
  const gh = useGatehouseQueries();
  const query = useQuery(gh.teams.list.queryOptions({ organizationId, limit: PICKER_LIMIT }));
  const items = query.data?.items ?? [];
  const nameOf = (id: string | null | undefined) => items.find((t) => t.id === id)?.name ?? id ?? '—';
  return { items, nameOf };
}

/** Roles that may be held on the organization or on a project. */
export function useRoleChoices(organizationId: string, scope: 'organization' | 'project') {
  const gh = useGatehouseQueries();
  return useQuery(gh.organizations.listRoles.queryOptions({ organizationId, scope })).data ?? [];
}
