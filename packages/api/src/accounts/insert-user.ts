import { newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import { findUserByEmail } from './email.js';

export const emailTaken = () => new AppError('EMAIL_TAKEN', 'An account with this email exists');

/**
 * Queues a new account for an email (already normalised) that has none. Two requests racing for
 * one email both pass the check; the unique index then fails the later flush: pass the error
 * through `asEmailTaken` so the loser hears the same EMAIL_TAKEN.
 */
export async function insertUser(
  tx: EntityManager,
  fields: Pick<User, 'email' | 'name'> &
    Partial<
      Pick<
        User,
        'passwordHash' | 'status' | 'organizationId' | 'lastLoginAt' | 'platformRole' | 'managedBy' | 'emailVerified'
      >
    >,
): Promise<User> {
  if (await findUserByEmail(tx, fields.email)) throw emailTaken();
  return tx.create(User, { id: newId('usr'), ...fields });
}

export function asEmailTaken(error: unknown): never {
  throw error instanceof UniqueConstraintViolationException ? emailTaken() : error;
}
