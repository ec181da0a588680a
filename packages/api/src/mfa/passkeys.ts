import { MfaPasskey, newId, WebauthnChallenge } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): registration for a signed-in user, and assertions as a
 * second factor (auth.verifyMfa) or a sign-in of their own (auth.passkeys.login, user verification
 * required). The relying party is the deployment's public URL: its host is the RP ID, its origin the
 * only origin accepted. Challenges are stored, expire in 5 minutes and are spent once.
 */

const CHALLENGE_TTL_MS = 5 * 60_000;
export const RP_NAME = 'Gatehouse';

export function relyingParty(runtime: Runtime) {
  const url = new URL(runtime.publicUrl);
  return { rpID: url.hostname, origin: url.origin };
}

const invalidPasskey = () => new AppError('MFA_CODE_INVALID', 'The passkey response is not valid, or was already used');

/** The challenge a response signed, from its clientDataJSON (nothing else is trusted before verification). */
function challengeOf(clientDataJSON: unknown): string {
  if (typeof clientDataJSON !== 'string') throw invalidPasskey();
  try {
    const challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString()) as { challenge?: unknown })
      .challenge;
    if (typeof challenge !== 'string' || challenge.length > 255) throw invalidPasskey();
    return challenge;
  } catch {
    throw invalidPasskey();
  }
}

function storeChallenge(
  tx: EntityManager,
  challenge: string,
  purpose: 'register' | 'authenticate',
  userId: string | null,
) {
  tx.create(WebauthnChallenge, {
    id: newId('wac'),
    challenge,
    userId,
    purpose,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
}

/** Spends the challenge of `purpose` (and user, for a registration): one response only. */
async function spendChallenge(
  tx: EntityManager,
  challenge: string,
  purpose: 'register' | 'authenticate',
  userId: string | null,
): Promise<void> {
  const spent = await tx.nativeUpdate(
    WebauthnChallenge,
    { challenge, purpose, userId, usedAt: null, expiresAt: { $gt: new Date() } },
    { usedAt: new Date() },
  );
  if (spent !== 1) throw invalidPasskey();
}

/** Options for adding a passkey to `user` (its existing ones excluded). */
export async function registrationOptions(
  tx: EntityManager,
  runtime: Runtime,
  user: { id: string; email: string; name: string },
) {
  const existing = await tx.find(MfaPasskey, { userId: user.id }, { fields: ['credentialId', 'transports'] });
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: relyingParty(runtime).rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((k) => ({ id: k.credentialId, transports: k.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  storeChallenge(tx, options.challenge, 'register', user.id);
  return options;
}

/** Verifies a registration response against this user's outstanding challenge and stores the passkey. */
export async function registerPasskey(
  tx: EntityManager,
  runtime: Runtime,
  userId: string,
  response: RegistrationResponseJSON,
  name: string,
) {
  const challenge = challengeOf(response.response?.clientDataJSON);
  await spendChallenge(tx, challenge, 'register', userId);
  const { rpID, origin } = relyingParty(runtime);
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
  }).catch(() => {
    throw invalidPasskey();
  });
  if (!verification.verified) throw invalidPasskey();
  const { credential, credentialBackedUp } = verification.registrationInfo;
  if (await tx.count(MfaPasskey, { credentialId: credential.id })) {
    throw new AppError('CONFLICT', 'This passkey is already registered');
  }
  return tx.create(MfaPasskey, {
    id: newId('pky'),
    userId,
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? [],
    name,
    backedUp: credentialBackedUp,
  });
}

/** Options for signing in (or proving a second factor) with a passkey: any of the user's may answer. */
export async function authenticationOptions(tx: EntityManager, runtime: Runtime) {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(runtime).rpID,
    userVerification: 'preferred',
  });
  storeChallenge(tx, options.challenge, 'authenticate', null);
  return options;
}

/**
 * Verifies an assertion: its challenge (spent once), the passkey (of `userId` when given: a second
 * factor belongs to the sign-in's user) and the signature. A counter only has to grow when the
 * authenticator keeps one: synced passkeys always say 0 and are never refused for it. Returns the user.
 */
export async function verifyPasskeyAssertion(
  tx: EntityManager,
  runtime: Runtime,
  response: AuthenticationResponseJSON,
  { userId, requireUserVerification }: { userId?: string; requireUserVerification: boolean },
): Promise<string> {
  const challenge = challengeOf(response.response?.clientDataJSON);
  await spendChallenge(tx, challenge, 'authenticate', null);
  const passkey = await tx.findOne(MfaPasskey, {
    credentialId: response.id,
    ...(userId ? { userId } : {}),
  });
  if (!passkey) throw invalidPasskey();
  const { rpID, origin } = relyingParty(runtime);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: {
      id: passkey.credentialId,
      publicKey: Buffer.from(passkey.publicKey, 'base64url'),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification,
  }).catch(() => {
    throw invalidPasskey();
  });
  if (!verification.verified) throw invalidPasskey();
  passkey.counter = verification.authenticationInfo.newCounter;
  passkey.lastUsedAt = new Date();
  await tx.flush();
  return passkey.userId;
}
