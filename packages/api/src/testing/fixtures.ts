import { Membership, newId, type Orm, User } from '@gatehouse/db';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, expect } from 'vitest';
import { defaultName } from '../accounts/email.js';
import { insertUser } from '../accounts/insert-user.js';
import { insertApiKey } from '../api-keys/service.js';
import { bootstrapWithKey } from '../bootstrap/service.js';
import { systemActor } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { type PermissionKey, platformPermissions } from '../core/permissions.js';
import type { Runtime } from '../infra/caller.js';

import { createLogTransport, createSmtpTransport, type MailTransport } from '../mail/transport.js';
import { insertOrganization } from '../organizations/service.js';
import { appRouter } from '../root.js';
import { createRuntime, type OwnedRuntime, type RuntimeOptions } from '../runtime.js';
import { createSession } from '../sessions/sessions.js';
import { createContext } from '../trpc/context.js';
import { createCallerFactory } from '../trpc/procedures.js';
import { recordInternalError } from './internal-errors.js';
import { startTestSmtpServer, type TestSmtpServer } from './smtp.js';

export { guardFetch, internalErrorLog, recordInternalError, takeInternalErrors } from './internal-errors.js';
export { loopbackOnly } from './loopback-only.js';
// The matrix's seeding helpers, for the surface tests of apps/server.
export * from './matrix.js';
export { seedMfaChallenge, seedSteppedUp, seedTotp } from './mfa.js';
export { type StubIssuer, sharedStubIssuer, startStubIssuer } from './oidc.js';
export { invitationToken, type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from './smtp.js';
export { softwareAuthenticator } from './webauthn.js';

let counter = 0;

/** A server process's runtime on the test database, listening for invalidations like a real one. */
export function startTestRuntime(
  db: TestDatabase,
  options: Partial<Omit<RuntimeOptions, 'orm'>> & { mail?: MailTransport } = {},
): Promise<OwnedRuntime> {
  return createRuntime({
    orm: db.orm,
    listenUrl: db.url,
    publicUrl: 'http://gatehouse.test',
    mail: createLogTransport(() => {}),
    // A failed send is retried soon.
    outbox: { backoffBaseMs: 50 },
    // The queue's runner sends mail; webhook deliveries are queued as on a server with DATABASE_URL, but
    // not sent (sender: undefined, where a server sends through the guarded fetcher): a test that
    // delivers gives its own sender.
    queue: { url: db.url, sender: undefined },
    log: () => {},
    // Domain verification asks a closed loopback port unless a test runs its own DNS server: no query
    // ever reaches a real resolver.
    dnsServers: ['127.0.0.1:9'],
    ...options,
  });
}

/**
 * Gives the calling test file its own migrated database and a runtime on it, for all its tests.
 * The fields are filled in by `beforeAll`.
 */
export function useTestRuntime(options: Parameters<typeof startTestRuntime>[1] = {}) {
  const env = {} as { db: TestDatabase; runtime: OwnedRuntime };
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.runtime = await startTestRuntime(env.db, options);
  });
  afterAll(async () => {
    await env.runtime?.stop();
    await env.db?.drop();
  });
  return env;
}

/** useTestRuntime whose mail goes over real SMTP to a test server (`env.smtp`) that keeps what it receives. */
export function useMailTestRuntime(options: Parameters<typeof startTestRuntime>[1] = {}) {
  const env = {} as { db: TestDatabase; runtime: OwnedRuntime; smtp: TestSmtpServer };
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.smtp = await startTestSmtpServer();
    env.runtime = await startTestRuntime(env.db, { mail: createSmtpTransport(env.smtp.url), ...options });
  });
  afterAll(async () => {
    await env.runtime?.stop();
    await env.smtp?.stop();
    await env.db?.drop();
  });
  return env;
}

/**
 * A new account owning a new organization, with an owner API key: an ordinary user (no platform
 * rights) who manages their own account, as one who signed up and created an organization.
 */
export async function ownerWithKey(orm: Orm, organization = `Org ${++counter}`) {
  const email = `owner${++counter}@example.com`;
  return orm.em.fork().transactional(async (tx) => {
    const user = await insertUser(tx, { email, name: defaultName(email), emailVerified: true });
    const { id: organizationId } = await insertOrganization(tx, systemActor, { name: organization, owner: user });
    const key = insertApiKey(tx, systemActor, { userId: user.id, organizationId, name: 'owner key' });
    return { email, userId: user.id, organizationId, key: key.key, keyId: key.id };
  });
}

/**
 * A new platform admin (as bootstrap makes the deployment's operator) owning a new organization, with
 * an owner API key bound to it (`key`) and a platform key bound to none, holding every platform
 * permission (`platformKey`): for the tests that need platform rights (credits:grant, credits:refund,
 * the platform router). An organization's owner is `ownerWithKey`.
 */
export async function platformAdminWithKey(orm: Orm, organization = `Org ${++counter}`) {
  const email = `operator${++counter}@example.com`;
  const result = await bootstrapWithKey(orm.em.fork(), { email, organization, newKey: true });
  const platformKey = await orm.em.fork().transactional(async (tx) =>
    insertApiKey(tx, systemActor, {
      userId: result.userId,
      organizationId: null,
      name: 'platform key',
      scopes: [...platformPermissions],
    }),
  );
  return {
    email,
    userId: result.userId,
    organizationId: result.organizationId,
    key: result.apiKey.key,
    keyId: result.apiKey.id,
    platformKey: platformKey.key,
    platformKeyId: platformKey.id,
  };
}

/**
 * A new user with `role` in the organization and a key (optionally scoped). The account is one the
 * organization created (managed by it) unless `managed` is false (then it manages itself, as a
 * signed-up account does).
 */
export async function memberWithKey(
  orm: Orm,
  organizationId: string,
  role: string,
  scopes?: PermissionKey[],
  { managed = true } = {},
) {
  return orm.em.fork().transactional(async (tx) => {
    const email = `member${++counter}@example.com`;
    const user = tx.create(User, {
      id: newId('usr'),
      email,
      name: 'Member',
      organizationId,
      managedBy: managed ? organizationId : null,
      emailVerified: true,
    });
    tx.create(Membership, { id: newId('mem'), organizationId, userId: user.id, role });
    const key = insertApiKey(tx, systemActor, {
      userId: user.id,
      organizationId,
      name: 'member key',
      scopes: scopes ?? null,
    });
    return { email, userId: user.id, organizationId, key: key.key, keyId: key.id };
  });
}

/**
 * Registers permissions of the integrator's own as the operator would (idempotent), and has the
 * runtime read them (seed 000's example scopes a key to `workflows:read`, `workflows:execute`, `executions:read`).
 */
export async function registerPermissions(
  runtime: Runtime,
  keys: readonly string[],
  grantedTo: readonly ('member' | 'viewer')[] = [],
): Promise<void> {
  const em = runtime.orm.em.fork();
  for (const key of keys) {
    await em.execute(
      `insert into registered_permissions (key, granted_to, created_at, updated_at) values (?, ?, now(), now())
       on conflict (key) do update set granted_to = excluded.granted_to`,
      [key, `{${grantedTo.join(',')}}`],
    );
  }
  await runtime.catalogue.load();
}

/** The permissions of seed 000's Complete Example. */
export const EXAMPLE_PERMISSIONS = ['workflows:read', 'workflows:execute', 'executions:read'] as const;

/**
 * A server-side caller of the whole router, authenticated the way an HTTP request would be. An internal
 * error it meets fails the test (internal-errors.ts), whatever the test then checks.
 */
export function callerFor(runtime: Runtime, headers: Record<string, string> = {}, ip = '127.0.0.1') {
  return createCallerFactory(appRouter)(
    createContext({ runtime, headers: new Headers(headers), requestId: 'test', ip }),
    {
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') recordInternalError(`${path}`, error.cause ?? error);
      },
    },
  );
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A caller with the key, token or session (none: anonymous), from the address given. */
export const callerAs = (runtime: Runtime, credential?: string, ip?: string) =>
  callerFor(runtime, credential ? bearer(credential) : {}, ip);

/** What auth.login or auth.signup answered without `cookie`: the session handed over as a token. */
export function tokenOf<T extends { sessionToken: string } | { cookie: true } | { mfaRequired: true }>(
  session: T,
): Extract<T, { sessionToken: string }> {
  if (!('sessionToken' in session)) throw new Error('Expected a session token, got a cookie session or a challenge');
  return session as Extract<T, { sessionToken: string }>;
}

/** A session for the account, as auth.login makes one: the person signed in, in their primary organization. */
export async function sessionFor(orm: Orm, userId: string): Promise<string> {
  const em = orm.em.fork();
  const { sessionToken } = createSession(em, userId, '127.0.0.1');
  await em.flush();
  return sessionToken;
}

export async function setUserStatus(orm: Orm, userId: string, status: User['status']) {
  await orm.em.fork().nativeUpdate(User, { id: userId }, { status });
}

/**
 * A signed-up account whose address is proven, as following the link mailed at sign-up makes it (that
 * path is tested in accounts.test.ts): an unverified account may not create an organization.
 */
export async function markEmailVerified(orm: Orm, userId: string) {
  await orm.em.fork().nativeUpdate(User, { id: userId }, { emailVerified: true });
}

/**
 * How a call was refused, as `code:reason` (the AppError's reason, else the code's own): what a refusal
 * test pins. Fails the test if the call succeeds or throws anything but a TRPCError.
 */
export async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(promise);
  return `${error.code}:${error.cause instanceof AppError ? error.cause.reason : error.code}`;
}

/** The TRPCError a call fails with; fails the test if the call succeeds or throws anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
