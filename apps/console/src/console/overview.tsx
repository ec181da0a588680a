import { useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading, Page } from '../ui.tsx';

export function Overview({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const organization = useQuery(gh.organizations.retrieve.queryOptions({ organizationId }));
  if (organization.isPending) return <Loading />;
  if (!organization.data) return <ErrorState error={organization.error} />;
  const o = organization.data;
  return (
    <Page title={o.name}>
      <dl className="facts">
        <dt>Label</dt>
        <dd>{o.label}</dd>
        <dt>Members</dt>
        <dd>{o.memberCount}</dd>
        <dt>Credits</dt>
        <dd>{String(o.credits)}</dd>
        <dt>Plan</dt>
        <dd>{o.plan}</dd>
        <dt>Single sign-on</dt>
        <dd>{o.ssoEnabled ? 'On' : 'Off'}</dd>
      </dl>
    </Page>
  );
}
