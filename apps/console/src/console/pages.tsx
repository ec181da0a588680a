// The console's pages, in the order of the navigation. A page gets the organization it acts in.
import type { ReactNode } from 'react';
import { AuditLog } from './audit.tsx';
import { Credits } from './credits.tsx';
import { Domains } from './domains.tsx';
import { Invitations } from './invitations.tsx';
import { Keys } from './keys.tsx';
import { Members } from './members.tsx';
import { Overview } from './overview.tsx';
import { Platform } from './platform.tsx';
import { Profile } from './profile.tsx';
import { Projects } from './projects.tsx';
import { Roles } from './roles.tsx';
import { ServiceAccounts } from './service-accounts.tsx';
import { Sso } from './sso.tsx';
import { Teams } from './teams.tsx';
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
  { path: 'members', title: 'Members', render: (id) => <Members organizationId={id} /> },
  { path: 'invitations', title: 'Invitations', render: (id) => <Invitations organizationId={id} /> },
  { path: 'keys', title: 'API keys', render: () => <Keys /> },
  { path: 'service-accounts', title: 'Service accounts', render: (id) => <ServiceAccounts organizationId={id} /> },
  { path: 'roles', title: 'Roles', render: (id) => <Roles organizationId={id} /> },
  { path: 'teams', title: 'Teams', render: (id) => <Teams organizationId={id} /> },
  { path: 'projects', title: 'Projects', render: (id) => <Projects organizationId={id} /> },
  { path: 'credits', title: 'Credits', render: (id) => <Credits organizationId={id} /> },
  { path: 'audit', title: 'Audit log', render: (id) => <AuditLog organizationId={id} /> },
  { path: 'sso', title: 'Single sign-on', render: (id) => <Sso organizationId={id} /> },
  { path: 'domains', title: 'Domains', render: (id) => <Domains organizationId={id} /> },
  { path: 'webhooks', title: 'Webhooks', render: (id) => <Webhooks organizationId={id} /> },
  { path: 'profile', title: 'Your profile', render: () => <Profile /> },
  { path: 'platform', title: 'Platform', render: () => <Platform />, platform: true },
];
