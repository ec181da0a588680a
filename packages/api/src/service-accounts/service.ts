import { newId, ServiceAccount, ServiceAccountCredential } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertMayGrant, lockActor, roleOrFail } from '../access/authority.js';
import { permissionMap } from '../access/reach.js';
import { findServiceAccountRank, type ServiceAccountRank } from '../access/service-accounts.js';
import { changesOf, record } from '../core/audit.js';
import { assertOutranks } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { generateClientCredential } from '../tokens/format.js';
import type {
  TCreateServiceAccountInput,
  TCredential,
  TNewCredential,
  TServiceAccount,
  TUpdateCredentialInput,
  TUpdateServiceAccountInput,
} from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const toServiceAccount = (sa: ServiceAccount): TServiceAccount => ({
  id: sa.id,
  organizationId: sa.organizationId,
  name: sa.name,
  description: sa.description ?? null,
  role: sa.role,
  createdAt: sa.createdAt,
  updatedAt: sa.updatedAt,
});

export const toCredential = (c: ServiceAccountCredential): TCredential => ({
  id: c.id,
  clientId: c.clientId,
  name: c.name,
  lastUsedAt: c.lastUsedAt ?? null,
  expiresAt: c.expiresAt ?? null,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

/** A role a service account may hold: any of the organization's but owner (an organization's owners are people). */
async function grantableRole(tx: EntityManager, actor: Principal, organizationId: string, key: string) {
  if (key === 'owner') throw new AppError('BAD_REQUEST', 'A service account cannot be an owner', { field: 'role' });
  const role = await roleOrFail(tx, organizationId, key);
  assertMayGrant(actor, role, 'give a service account');
  return role;
}

/**
 * The one way to act on a service account (change it, delete it, handle its credentials): under the
 * organization lock, the caller as they stand now must hold every permission the account holds (the
 * hierarchy, as for members): a credential hands out the account's authority, so nobody obtains one
 * stronger than themselves. Another organization's account is NOT_FOUND.
 */
async function lockAccount(
  tx: EntityManager,
  caller: Caller,
  organizationId: string,
  serviceAccountId: string,
  verb: string,
): Promise<{ actor: Principal; account: ServiceAccountRank }> {
  const actor = await lockActor(tx, caller, organizationId);
  const account = await findServiceAccountRank(tx, organizationId, serviceAccountId);
  if (!account) throw new AppError('NOT_FOUND', 'Service account not found');
  assertOutranks(actor, account, verb);
  return { actor, account };
}

export async function createServiceAccount(
  caller: Caller,
  input: TCreateServiceAccountInput,
): Promise<TServiceAccount> {
  const { organizationId } = input;
  return transaction(caller, async (tx) => {
    const actor = await lockActor(tx, caller, organizationId);
    const role = await grantableRole(tx, actor, organizationId, input.role);
    const sa = tx.create(ServiceAccount, {
      id: newId('sa'),
      organizationId,
      name: input.name,
      description: input.description ?? null,
      role: role.key,
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'service_account.created',
      target: { type: 'serviceAccount', id: sa.id },
      changes: { name: { from: null, to: sa.name }, role: { from: null, to: sa.role } },
    });
    await tx.flush();
    return toServiceAccount(sa);
  });
}

export async function listServiceAccounts(
  caller: Caller,
  input: { organizationId: string; limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `service-accounts:${input.organizationId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.find(
    ServiceAccount,
    { organizationId: input.organizationId, ...(after ? { id: { $lt: after } } : {}) },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toServiceAccount);
}

async function accountOrFail(em: EntityManager, organizationId: string, serviceAccountId: string) {
  const sa = await em.findOne(ServiceAccount, { id: serviceAccountId, organizationId });
  if (!sa) throw new AppError('NOT_FOUND', 'Service account not found');
  return sa;
}

export async function retrieveServiceAccount(
  caller: Caller,
  input: { organizationId: string; serviceAccountId: string; expand?: 'permissions'[] | undefined },
): Promise<TServiceAccount> {
  const sa = toServiceAccount(await accountOrFail(caller.em, input.organizationId, input.serviceAccountId));
  // As on organizations: what the caller may do (the Keycard shape).
  return input.expand?.includes('permissions') ? { ...sa, permissions: permissionMap(caller.principal) } : sa;
}

export async function updateServiceAccount(
  caller: Caller,
  input: TUpdateServiceAccountInput,
): Promise<TServiceAccount> {
  const { organizationId, serviceAccountId } = input;
  return transaction(caller, async (tx, after) => {
    after.invalidate({ serviceAccountId });
    const { actor } = await lockAccount(tx, caller, organizationId, serviceAccountId, 'change this service account');
    const sa = await accountOrFail(tx, organizationId, serviceAccountId);
    const role =
      input.role !== undefined && input.role !== sa.role
        ? (await grantableRole(tx, actor, organizationId, input.role)).key
        : undefined;
    const changes = changesOf(
      { role: sa.role, name: sa.name, description: sa.description ?? null },
      { role, name: input.name, description: input.description },
    );
    if (role !== undefined) sa.role = role;
    if (input.name !== undefined) sa.name = input.name;
    if (input.description !== undefined) sa.description = input.description;
    if (Object.keys(changes).length > 0) {
      record(tx, actorOf(caller), {
        organizationId,
        action: 'service_account.updated',
        target: { type: 'serviceAccount', id: sa.id },
        changes,
      });
    }
    await tx.flush();
    return toServiceAccount(sa);
  });
}

/** Deletes the account and its credentials; every process refuses its tokens from the commit on. */
export async function deleteServiceAccount(
  caller: Caller,
  input: { organizationId: string; serviceAccountId: string },
): Promise<void> {
  const { organizationId, serviceAccountId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ serviceAccountId });
    const { account } = await lockAccount(tx, caller, organizationId, serviceAccountId, 'delete this service account');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'service_account.deleted',
      target: { type: 'serviceAccount', id: serviceAccountId },
      changes: { name: { from: account.name, to: null }, role: { from: account.role, to: null } },
    });
    await tx.flush();
    await tx.nativeDelete(ServiceAccount, { id: serviceAccountId, organizationId });
  });
}

export async function createCredential(
  caller: Caller,
  input: {
    organizationId: string;
    serviceAccountId: string;
    name?: string | undefined;
    expiresInDays?: number | undefined;
  },
): Promise<TNewCredential> {
  const { organizationId, serviceAccountId } = input;
  return transaction(caller, async (tx, after) => {
    await lockAccount(tx, caller, organizationId, serviceAccountId, 'create a credential for this service account');
    const { clientId, clientSecret, secretHash } = generateClientCredential();
    const credential = tx.create(ServiceAccountCredential, {
      id: newId('cred'),
      serviceAccountId,
      organizationId,
      clientId,
      secretHash,
      name: input.name ?? 'default',
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'service_account.credential_created',
      target: { type: 'serviceAccountCredential', id: credential.id },
      changes: { serviceAccountId: { from: null, to: serviceAccountId }, clientId: { from: null, to: clientId } },
    });
    after.emit(organizationId, 'service_account.credential_created', { serviceAccountId, credentialId: credential.id });
    await tx.flush();
    return {
      id: credential.id,
      clientId,
      clientSecret,
      name: credential.name,
      expiresAt: credential.expiresAt ?? null,
      createdAt: credential.createdAt,
    };
  });
}

export async function listCredentials(
  caller: Caller,
  input: { organizationId: string; serviceAccountId: string; limit: number; cursor?: string | undefined },
) {
  await accountOrFail(caller.em, input.organizationId, input.serviceAccountId);
  const { cursors } = caller.runtime;
  const scope = `credentials:${input.serviceAccountId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.find(
    ServiceAccountCredential,
    {
      organizationId: input.organizationId,
      serviceAccountId: input.serviceAccountId,
      ...(after ? { id: { $lt: after } } : {}),
    },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toCredential);
}

async function credentialOrFail(
  em: EntityManager,
  input: { organizationId: string; serviceAccountId: string; credentialId: string },
) {
  const credential = await em.findOne(ServiceAccountCredential, {
    id: input.credentialId,
    serviceAccountId: input.serviceAccountId,
    organizationId: input.organizationId,
  });
  if (!credential) throw new AppError('NOT_FOUND', 'Credential not found');
  return credential;
}

export async function retrieveCredential(
  caller: Caller,
  input: { organizationId: string; serviceAccountId: string; credentialId: string },
): Promise<TCredential> {
  return toCredential(await credentialOrFail(caller.em, input));
}

export async function updateCredential(caller: Caller, input: TUpdateCredentialInput): Promise<TCredential> {
  const { organizationId, serviceAccountId, credentialId } = input;
  return transaction(caller, async (tx, after) => {
    after.invalidate({ credentialId });
    await lockAccount(tx, caller, organizationId, serviceAccountId, 'change a credential of this service account');
    const credential = await credentialOrFail(tx, input);
    const expiresAt =
      input.expiresInDays === undefined
        ? undefined
        : input.expiresInDays === null
          ? null
          : new Date(Date.now() + input.expiresInDays * DAY_MS);
    const changes = changesOf(
      { name: credential.name, expiresAt: credential.expiresAt ?? null },
      { name: input.name, expiresAt },
    );
    if (input.name !== undefined) credential.name = input.name;
    if (expiresAt !== undefined) credential.expiresAt = expiresAt;
    if (Object.keys(changes).length > 0) {
      record(tx, actorOf(caller), {
        organizationId,
        action: 'service_account.credential_updated',
        target: { type: 'serviceAccountCredential', id: credentialId },
        changes,
      });
    }
    await tx.flush();
    return toCredential(credential);
  });
}

/** Deletes the credential; every process refuses the tokens it obtained from the commit on. */
export async function deleteCredential(
  caller: Caller,
  input: { organizationId: string; serviceAccountId: string; credentialId: string },
): Promise<void> {
  const { organizationId, credentialId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ credentialId });
    await lockAccount(
      tx,
      caller,
      organizationId,
      input.serviceAccountId,
      'delete a credential of this service account',
    );
    const credential = await credentialOrFail(tx, input);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'service_account.credential_deleted',
      target: { type: 'serviceAccountCredential', id: credentialId },
      changes: { clientId: { from: credential.clientId, to: null } },
    });
    tx.remove(credential);
    await tx.flush();
  });
}
