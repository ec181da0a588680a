// The console's pages, in the order of the navigation. A page gets the organization it acts in.
import type { ReactNode } from 'react';
import { Keys } from './keys.tsx';
import { Members } from './members.tsx';
import { Overview } from './overview.tsx';
import { Roles } from './roles.tsx';
import { ServiceAccounts } from './service-accounts.tsx';

export interface ConsolePage {
  /** Under /console/; '' is the overview. */
  path: string;
  title: string;
  render: (organizationId: string) => ReactNode;
  /** Shown only to platform administrators. */
  platform?: boolean;
}

export const consolePages: ConsolePage[] = [
  { path: '', title: 'Overview', render: (id) => <Overview organizationId={id} /> },
  { path: 'members', title: 'Members', render: (id) => <Members organizationId={id} /> },
  { path: 'keys', title: 'API keys', render: () => <Keys /> },
  { path: 'service-accounts', title: 'Service accounts', render: (id) => <ServiceAccounts organizationId={id} /> },
  { path: 'roles', title: 'Roles', render: (id) => <Roles organizationId={id} /> },
];
