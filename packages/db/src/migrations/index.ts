import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124083044_initial } from './Migration20261124083044_initial.js';
import { Migration20261124092245_auth } from './Migration20261124092245_auth.js';
import { Migration20261124092827_organizations } from './Migration20261124092827_organizations.js';
import { Migration20261124094514_search } from './Migration20261124094514_search.js';
import { Migration20261124131242_invitations_outbox_credits } from './Migration20261124131242_invitations_outbox_credits.js';
import { Migration20261202010000_accounts } from './Migration20261202010000_accounts.js';
import { Migration20261202010429_service_accounts } from './Migration20261202010429_service_accounts.js';
import { Migration20261202020000_key_limits } from './Migration20261202020000_key_limits.js';
import { Migration20261202030000_teams_projects } from './Migration20261202030000_teams_projects.js';
import { Migration20261202040000_member_search } from './Migration20261202040000_member_search.js';
import { Migration20261205020000_outbox_sealed } from './Migration20261205020000_outbox_sealed.js';
import { Migration20261206000000_registered_permissions } from './Migration20261206000000_registered_permissions.js';
import { Migration20261206000100_derived_key_prefixes } from './Migration20261206000100_derived_key_prefixes.js';
import { Migration20261206010000_sessions } from './Migration20261206010000_sessions.js';
import { Migration20261206020000_domains } from './Migration20261206020000_domains.js';
import { Migration20261206030000_events } from './Migration20261206030000_events.js';
import { Migration20261206040000_sso } from './Migration20261206040000_sso.js';
import { Migration20261206050000_mfa } from './Migration20261206050000_mfa.js';
import { Migration20261206050100_passkeys } from './Migration20261206050100_passkeys.js';
import { Migration20261206060000_webhook_signing } from './Migration20261206060000_webhook_signing.js';
import { Migration20261206070000_outbox_on_queue } from './Migration20261206070000_outbox_on_queue.js';

// Every committed migration, in order. `pnpm --filter @gatehouse/db migration:create <name>` writes a
// new file beside this one; add it here (an explicit list needs no file globbing at run time).
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124083044_initial', class: Migration20261124083044_initial },
  { name: 'Migration20261124092245_auth', class: Migration20261124092245_auth },
  { name: 'Migration20261124092827_organizations', class: Migration20261124092827_organizations },
  { name: 'Migration20261124094514_search', class: Migration20261124094514_search },
  {
    name: 'Migration20261124131242_invitations_outbox_credits',
    class: Migration20261124131242_invitations_outbox_credits,
  },
  { name: 'Migration20261202010000_accounts', class: Migration20261202010000_accounts },
  { name: 'Migration20261202010429_service_accounts', class: Migration20261202010429_service_accounts },
  { name: 'Migration20261202020000_key_limits', class: Migration20261202020000_key_limits },
  { name: 'Migration20261202030000_teams_projects', class: Migration20261202030000_teams_projects },
  { name: 'Migration20261202040000_member_search', class: Migration20261202040000_member_search },
  { name: 'Migration20261205020000_outbox_sealed', class: Migration20261205020000_outbox_sealed },
  {
    name: 'Migration20261206000000_registered_permissions',
    class: Migration20261206000000_registered_permissions,
  },
  { name: 'Migration20261206000100_derived_key_prefixes', class: Migration20261206000100_derived_key_prefixes },
  { name: 'Migration20261206010000_sessions', class: Migration20261206010000_sessions },
  { name: 'Migration20261206020000_domains', class: Migration20261206020000_domains },
  { name: 'Migration20261206030000_events', class: Migration20261206030000_events },
  { name: 'Migration20261206040000_sso', class: Migration20261206040000_sso },
  { name: 'Migration20261206050000_mfa', class: Migration20261206050000_mfa },
  { name: 'Migration20261206050100_passkeys', class: Migration20261206050100_passkeys },
  { name: 'Migration20261206060000_webhook_signing', class: Migration20261206060000_webhook_signing },
  { name: 'Migration20261206070000_outbox_on_queue', class: Migration20261206070000_outbox_on_queue },
];
