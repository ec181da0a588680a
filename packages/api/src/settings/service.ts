import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import { defaultSettings, type TSettings } from './schema.js';

/**
 * The organization's settings, defaults filled in. With `lock` (the default) the organization row is
 * locked until the transaction ends: owner and membership changes are serialised per organization,
 * so "at least one owner" holds under concurrency.
 */
export async function organizationSettings(
  em: EntityManager,
  organizationId: string,
  { lock = true } = {},
): Promise<TSettings> {
  const [row] = await em.execute<{ settings: Partial<TSettings> }[]>(
    `select settings from organizations where id = ?${lock ? ' for update' : ''}`,
    [organizationId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  return { ...defaultSettings, ...row.settings };
}

/** With allowedEmailDomains set, only those domains (not their subdomains) may join. */
export function emailDomainAllowed(settings: TSettings, email: string): boolean {
  const allowed = settings.allowedEmailDomains;
  return allowed.length === 0 || allowed.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

export function assertDomainAllowed(settings: TSettings, email: string): void {
  if (!emailDomainAllowed(settings, email)) {
    const allowed = settings.allowedEmailDomains;
    throw new AppError(
      'EMAIL_DOMAIN_NOT_ALLOWED',
      `This organization accepts members from ${allowed.join(', ')} only`,
      {
        allowedEmailDomains: allowed,
      },
    );
  }
}
