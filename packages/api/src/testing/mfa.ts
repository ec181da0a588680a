import type { Orm } from '@gatehouse/db';
import { generate } from 'otplib';
import { sha256Hex } from '../core/crypto.js';
import type { Runtime } from '../infra/caller.js';
import { createChallenge, newTotpSecret, TOTP_PERIOD_SECONDS } from '../mfa/factors.js';

/**
 * A TOTP factor for `userId`, written as auth.mfa.totp.enroll (and, `confirmed`, confirm) leave it,
 * with a code maker: `code(steps)` is the code `steps` periods from now (the process clock).
 */
export async function seedTotp(runtime: Runtime, orm: Orm, userId: string, { confirmed = true } = {}) {
  const { secret, sealed } = newTotpSecret(runtime, userId, 'seeded@example.com');
  await orm.em.fork().execute(
    `insert into mfa_totp (user_id, secret_sealed, confirmed_at, created_at, updated_at)
     values (?, ?, ${confirmed ? 'now()' : 'null'}, now(), now())
     on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, confirmed_at = excluded.confirmed_at, last_step = null`,
    [userId, sealed],
  );
  runtime.invalidate({ userId });
  const code = (steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * TOTP_PERIOD_SECONDS });
  return { secret, code };
}

/** A sign-in challenge for `userId`, as auth.login answers one for an account with a factor. */
export async function seedMfaChallenge(orm: Orm, userId: string): Promise<string> {
  const em = orm.em.fork();
  const token = createChallenge(em, userId, false);
  await em.flush();
  return token;
}

/** Marks the session of `sessionToken` as having proven a factor now (auth.verifyMfa or auth.mfa.stepUp). */
export async function seedSteppedUp(orm: Orm, sessionToken: string): Promise<void> {
  await orm.em
    .fork()
    .execute('update sessions set mfa_verified_at = now() where token_hash = ?', [sha256Hex(sessionToken)]);
}
