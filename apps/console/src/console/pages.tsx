// The console's pages, in the order of the navigation. A page gets the organization it acts in.
import type { ReactNode } from 'react';
import { Overview } from './overview.tsx';
import { Profile } from './profile.tsx';

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
  { path: 'profile', title: 'Your profile', render: () => <Profile /> },
];
