import { X509Certificate } from 'node:crypto';
import { type AuditChanges, newId } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertMayGrant, lockActor, roleOrFail } from '../access/authority.js';
import { permissionMap } from '../access/reach.js';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller, type Runtime } from '../infra/caller.js';
import { GuardedFetchError } from '../infra/guarded-fetch.js';
import { transaction } from '../infra/transaction.js';
import { organizationSettings } from '../settings/service.js';
import { checkJwks, type Discovery, discover, fetchFailure, protocolsOf } from './discovery.js';
import { parseIdpMetadata, type SamlMetadata } from './saml.js';
import {
  ISSUER_MESSAGE,
  isIssuerUrl,
  type TEnableSsoInput,
  type TRetrieveSsoInput,
  type TSsoConnection,
  type TSsoRef,
  type TSsoTestResult,
  type TUpdateSsoInput,
} from './schema.js';

export interface ConnectionRow {
  id: string;
  organization_id: string;
  protocol: 'oidc' | 'saml';
  identifier: string;
  client_id: string;
  client_secret_sealed: string;
  /** The IdP's validated discovery document (OIDC), or what its SAML metadata said. */
  metadata: Discovery | SamlMetadata;
  default_role: string;
  sso_required: boolean;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, organization_id, protocol, identifier, client_id, client_secret_sealed, metadata, default_role,
  sso_required, created_at, updated_at`;

export function toConnection(row: ConnectionRow): TSsoConnection {
  return {
    id: row.id,
    identifier: row.identifier,
    clientId: row.client_id,
    clientSecretSet: row.client_secret_sealed.length > 0,
    protocols: protocolsOf(row.metadata),
    protocol: row.protocol,
    defaultRole: row.default_role,
    ssoRequired: row.sso_required,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function findConnection(em: EntityManager, organizationId: string, lock = false): Promise<ConnectionRow> {
  const [row] = await em.execute<ConnectionRow[]>(
    `select ${COLUMNS} from sso_connections where organization_id = ?${lock ? ' for update' : ''}`,
    [organizationId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'This organization has no SSO connection');
  return row;
}

/** The sealed client secret opens only in its own connection's row (its id is the associated data). */
export const sealSecret = (runtime: Runtime, connectionId: string, secret: string) =>
  runtime.sso.secrets.seal(Buffer.from(secret), `sso-client:${connectionId}`);
export function openSecret(runtime: Runtime, row: Pick<ConnectionRow, 'id' | 'client_secret_sealed'>): string {
  const opened = runtime.sso.secrets.open(row.client_secret_sealed, `sso-client:${row.id}`);
  if (!opened) throw new Error(`the client secret of ${row.id} does not open under this deployment's secret`);
  return opened.toString();
}

/**
 * An issuer must be https and public: plain http (and loopback, refused by the guarded fetcher) only
 * where the deployment allows loopback URLs (development and tests).
 */
function assertIssuerScheme(runtime: Runtime, issuer: string): void {
  if (!isIssuerUrl(issuer)) throw new AppError('BAD_REQUEST', ISSUER_MESSAGE);
  if (new URL(issuer).protocol !== 'https:' && !runtime.sso.allowLoopback) {
    throw new AppError('BAD_REQUEST', `The issuer must be an https URL: ${issuer}`);
  }
}

/** The role JIT members get: one of the organization's, never owner, and one the caller may grant. */
async function checkedDefaultRole(tx: EntityManager, caller: Caller, organizationId: string, key: string) {
  if (key === 'owner') throw new AppError('BAD_REQUEST', 'SSO never makes owners: choose another defaultRole');
  const role = await roleOrFail(tx, organizationId, key);
  assertMayGrant(await lockActor(tx, caller, organizationId), role, 'provision members with');
  return role.key;
}

/** A SAML connection's identifier is the IdP's entity ID, and its metadata must say so. */
function samlMetadataOf(runtime: Runtime, xml: string | undefined, identifier: string): SamlMetadata {
  if (!xml) throw new AppError('BAD_REQUEST', 'A SAML connection needs samlMetadataXml (the IdP metadata)');
  return parseIdpMetadata(xml, identifier, runtime.sso.allowLoopback);
}

export async function enableSso(caller: Caller, input: TEnableSsoInput): Promise<TSsoConnection> {
  const { organizationId } = input;
  if (input.protocol !== 'saml' && input.samlMetadataXml !== undefined) {
    throw new AppError('BAD_REQUEST', 'samlMetadataXml is for protocol: saml');
  }
  if (input.protocol === 'oidc') assertIssuerScheme(caller.runtime, input.identifier);
  // Outside the transaction: no lock is held while the IdP answers.
  const document =
    input.protocol === 'saml'
      ? samlMetadataOf(caller.runtime, input.samlMetadataXml, input.identifier)
      : await discover(caller.runtime.fetch, input.identifier);
  const id = newId('sso');
  await transaction(caller, async (tx) => {
    const settings = await organizationSettings(tx, organizationId);
    const defaultRole = await checkedDefaultRole(tx, caller, organizationId, input.defaultRole ?? settings.defaultRole);
    await tx.execute(
      `insert into sso_connections (${COLUMNS})
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now(), now())`,
      [
        id,
        organizationId,
        input.protocol,
        input.identifier,
        input.clientId,
        sealSecret(caller.runtime, id, input.clientSecret),
        JSON.stringify(document),
        defaultRole,
        input.ssoRequired,
      ],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'sso.enabled',
      target: { type: 'sso_connection', id },
      changes: {
        identifier: { from: null, to: input.identifier },
        clientId: { from: null, to: input.clientId },
        defaultRole: { from: null, to: defaultRole },
        ssoRequired: { from: null, to: input.ssoRequired },
      },
    });
  }).catch((error) => {
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('CONFLICT', 'This organization already has an SSO connection; update or disable it')
      : error;
  });
  return findConnection(caller.em, organizationId).then(toConnection);
}

export async function retrieveSso(caller: Caller, input: TRetrieveSsoInput): Promise<TSsoConnection> {
  const connection = toConnection(await findConnection(caller.em, input.organizationId));
  return input.expand?.includes('permissions')
    ? { ...connection, permissions: permissionMap(caller.principal) }
    : connection;
}

/** A new issuer is discovered (and validated) again; a new secret replaces the sealed one. */
export async function updateSso(caller: Caller, input: TUpdateSsoInput): Promise<TSsoConnection> {
  const { organizationId } = input;
  const current = await findConnection(caller.em, organizationId);
  if (input.identifier !== undefined && current.protocol === 'oidc') {
    assertIssuerScheme(caller.runtime, input.identifier);
  }
  if (current.protocol !== 'saml' && input.samlMetadataXml !== undefined) {
    throw new AppError('BAD_REQUEST', 'samlMetadataXml is for a SAML connection');
  }
  const identifier = input.identifier ?? current.identifier;
  const document =
    current.protocol === 'saml'
      ? input.samlMetadataXml !== undefined || identifier !== current.identifier
        ? samlMetadataOf(caller.runtime, input.samlMetadataXml, identifier)
        : undefined
      : identifier !== current.identifier
        ? await discover(caller.runtime.fetch, identifier)
        : undefined;
  await transaction(caller, async (tx) => {
    const row = await findConnection(tx, organizationId, true);
    const defaultRole =
      input.defaultRole !== undefined && input.defaultRole !== row.default_role
        ? await checkedDefaultRole(tx, caller, organizationId, input.defaultRole)
        : undefined;
    const changes: AuditChanges = {};
    const note = (field: string, from: unknown, to: unknown) => {
      if (to !== undefined && to !== from) changes[field] = { from, to };
    };
    note('identifier', row.identifier, document ? identifier : undefined);
    if (document && current.protocol === 'saml') changes.samlMetadata = { from: 'set', to: 'replaced' };
    note('clientId', row.client_id, input.clientId);
    note('defaultRole', row.default_role, defaultRole);
    note('ssoRequired', row.sso_required, input.ssoRequired);
    // The secret itself never reaches the trail: only that it was replaced.
    if (input.clientSecret !== undefined) changes.clientSecret = { from: 'set', to: 'replaced' };
    if (Object.keys(changes).length === 0) return;
    await tx.execute(
      `update sso_connections set identifier = ?, client_id = ?, client_secret_sealed = ?, metadata = ?::jsonb,
         default_role = ?, sso_required = ?, updated_at = now() where id = ?`,
      [
        document ? identifier : row.identifier,
        input.clientId ?? row.client_id,
        input.clientSecret !== undefined
          ? sealSecret(caller.runtime, row.id, input.clientSecret)
          : row.client_secret_sealed,
        JSON.stringify(document ?? row.metadata),
        defaultRole ?? row.default_role,
        input.ssoRequired ?? row.sso_required,
        row.id,
      ],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'sso.updated',
      target: { type: 'sso_connection', id: row.id },
      changes,
    });
  });
  return findConnection(caller.em, organizationId).then(toConnection);
}

/** Removes the connection with its identities and sign-ins under way; the accounts it made stay. */
export async function disableSso(caller: Caller, input: TSsoRef): Promise<{ id: string; deleted: true }> {
  const { organizationId } = input;
  return transaction(caller, async (tx) => {
    const [removed] = await tx.execute<{ id: string; identifier: string }[]>(
      'delete from sso_connections where organization_id = ? returning id, identifier',
      [organizationId],
    );
    if (!removed) throw new AppError('NOT_FOUND', 'This organization has no SSO connection');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'sso.disabled',
      target: { type: 'sso_connection', id: removed.id },
      changes: { identifier: { from: removed.identifier, to: null } },
    });
    return { id: removed.id, deleted: true as const };
  });
}

/**
 * Runs discovery and fetches the JWKS again, reporting each step for the console: a failure is an
 * answer here (`ok: false` with what failed), never an error. Nothing is stored.
 */
export async function testSso(caller: Caller, input: TSsoRef): Promise<TSsoTestResult> {
  const row = await findConnection(caller.em, input.organizationId);
  if (row.protocol === 'saml') return testSamlMetadata(row.metadata as SamlMetadata);
  const steps: TSsoTestResult['steps'] = [];
  let document: Discovery;
  try {
    document = await discover(caller.runtime.fetch, row.identifier);
    steps.push({ step: 'discovery', ok: true, detail: `${row.identifier} publishes a valid discovery document` });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    steps.push({ step: 'discovery', ok: false, detail: error.message });
    return { ok: false, steps };
  }
  try {
    const detail = await checkJwks(caller.runtime.fetch, document.jwks_uri);
    steps.push({ step: 'jwks', ok: true, detail: `${document.jwks_uri}: ${detail}` });
  } catch (error) {
    const why = error instanceof GuardedFetchError ? fetchFailure(error) : (error as Error).message;
    steps.push({ step: 'jwks', ok: false, detail: `${document.jwks_uri}: ${why}` });
  }
  return { ok: steps.every((step) => step.ok), steps };
}

/** SAML has nothing to fetch: the test reads the stored signing certificates (parse, validity dates). */
function testSamlMetadata(metadata: SamlMetadata): TSsoTestResult {
  const steps: TSsoTestResult['steps'] = metadata.certs.map((cert, index) => {
    try {
      const x509 = new X509Certificate(Buffer.from(cert, 'base64'));
      const now = Date.now();
      const ok = new Date(x509.validFrom).getTime() <= now && now < new Date(x509.validTo).getTime();
      return { step: 'metadata' as const, ok, detail: `signing certificate ${index + 1}: valid until ${x509.validTo}` };
    } catch {
      return { step: 'metadata' as const, ok: false, detail: `signing certificate ${index + 1} does not parse` };
    }
  });
  return { ok: steps.every((step) => step.ok), steps };
}
