import { User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The one form an email is stored and compared in: trimmed, unicode NFC, domain lower-cased.
 * The local part keeps its case (RFC 5321), while uniqueness is case-insensitive (lower(email) index).
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim().normalize('NFC');
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/** The name an account gets when nobody gave one: its email's local part. */
export const defaultName = (email: string) => email.slice(0, email.lastIndexOf('@'));

/** The user with this email, compared case-insensitively through the lower(email) index. */
export async function findUserByEmail(em: EntityManager, email: string): Promise<User | null> {
  const rows: { id: string }[] = await em.execute('select id from users where lower(email) = lower(?)', [
    normalizeEmail(email),
  ]);
  return rows[0] ? em.findOne(User, rows[0].id) : null;
}
