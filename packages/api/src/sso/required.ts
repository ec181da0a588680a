import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import { domainOfEmail } from '../domains/normalize.js';

/**
 * Whether the account must sign in through SSO: it is a member of an organization whose connection has
 * `ssoRequired`, and its email is on one of that organization's verified domains (someone else's
 * address, e.g. a contractor's, keeps the password).
 */
export async function ssoRequiredFor(em: EntityManager, userId: string, email: string): Promise<boolean> {
  const domain = domainOfEmail(email);
  if (!domain) return false;
  const rows = await em.execute<{ one: number }[]>(
    `select 1 as one from memberships m
       join sso_connections s on s.organization_id = m.organization_id and s.sso_required
       join domains d on d.organization_id = m.organization_id and d.status = 'verified' and d.domain = ?
      where m.user_id = ? limit 1`,
    [domain, userId],
  );
  return rows.length > 0;
}

export async function assertPasswordAllowed(em: EntityManager, userId: string, email: string): Promise<void> {
  if (await ssoRequiredFor(em, userId, email)) {
    throw new AppError(
      'SSO_REQUIRED',
      'Your organization requires single sign-on: sign in through its identity provider (/sso/<organization>/start)',
    );
  }
}
