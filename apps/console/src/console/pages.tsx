// The console's pages, in the order of the navigation. A page gets the organization it acts in.
import type { ReactNode } from 'react';
import { Domains } from './domains.tsx';
import { Overview } from './overview.tsx';
import { Platform } from './platform.tsx';
import { Profile } from './profile.tsx';
import { Sso } from './sso.tsx';
import { Webhooks } from './webhooks.tsx';

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
  { path: 'sso', title: 'Single sign-on', render: (id) => <Sso organizationId={id} /> },
  { path: 'domains', title: 'Domains', render: (id) => <Domains organizationId={id} /> },
  { path: 'webhooks', title: 'Webhooks', render: (id) => <Webhooks organizationId={id} /> },
  { path: 'profile', title: 'Your profile', render: () => <Profile /> },
  { path: 'platform', title: 'Platform', render: () => <Platform />, platform: true },
];
