// The members page is the embeddable components themselves (@gatehouse/react): what an integrator
// gets with two lines is what the console shows.
import { InviteForm, MembersTable } from '@gatehouse/react';
import { Page } from '../ui.tsx';

export function Members({ organizationId }: { organizationId: string }) {
  return (
    <Page title="Members">
      <MembersTable organizationId={organizationId} />
      <InviteForm organizationId={organizationId} />
    </Page>
  );
}
