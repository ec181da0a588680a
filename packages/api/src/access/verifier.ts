import type { EntityManager } from '@mikro-orm/postgresql';
import { can, canAsPlatform } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { withBindings } from './bindings.js';
import { assertMayAct } from './membership.js';

export interface Verifying {
  principal: Principal;
  /** The organization whose keys the caller may verify; null: any (platform credentials). */
  verifierOrganizationId: string | null;
}

/**
 * Who may verify keys for a service (keys.verify, over tRPC and the direct REST route alike): a credential
 * holding `apiKeys:verify` in its own organization verifies that organization's keys; platform credentials
 * holding `platform:apiKeys:verify` verify any organization's (whatever the state of their own, as on the
 * platform router). A caller acting in no organization has none to verify in: NOT_FOUND.
 */
export async function verifierOf(
  ctx: { runtime: Runtime; em: EntityManager },
  authenticated: Principal,
): Promise<Verifying> {
  if (canAsPlatform(authenticated, 'platform:apiKeys:verify')) {
    return { principal: authenticated, verifierOrganizationId: null };
  }
  assertMayAct(authenticated);
  const { organizationId } = authenticated;
  if (!organizationId) throw new AppError('NOT_FOUND', 'Organization not found');
  const principal = await withBindings(ctx, authenticated);
  if (!can(principal, 'apiKeys:verify', organizationId)) throw new AppError('FORBIDDEN', 'Requires apiKeys:verify');
  return { principal, verifierOrganizationId: organizationId };
}
