import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';

/**
 * A machine identity of one organization. It holds a role like a member does (never owner), and
 * authenticates with its credentials' client secrets for short-lived access tokens.
 */
export const ServiceAccount = defineEntity({
  name: 'ServiceAccount',
  tableName: 'service_accounts',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    name: p.string(),
    description: p.string().nullable(),
    // A built-in role other than owner, or a custom role's key (as memberships.role).
    role: p.string(),
    ...timestamps,
  },
  // Lists page by (organization, id); roles.delete finds the holders of a role.
  indexes: [{ properties: ['organizationId', 'id'] }, { properties: ['organizationId', 'role'] }],
});
export type ServiceAccount = InferEntity<typeof ServiceAccount>;

/** A client id and secret of a service account, for the client-credentials grant. */
export const ServiceAccountCredential = defineEntity({
  name: 'ServiceAccountCredential',
  tableName: 'service_account_credentials',
  properties: {
    id: p.string().primary(),
    serviceAccountId: () => p.manyToOne(ServiceAccount).mapToPk().fieldName('service_account_id').deleteRule('cascade'),
    // Denormalised from the account, so every query can carry the tenant in its `where`.
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    // `ghc_<8 chars>`: public, looked up by a unique index on every token request.
    clientId: p.string().unique(),
    // SHA-256 of the 256-bit secret, hex. The secret itself is never stored.
    secretHash: p.string().hidden().lazy(),
    name: p.string(),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    ...timestamps,
  },
  indexes: [{ properties: ['serviceAccountId', 'id'] }],
});
export type ServiceAccountCredential = InferEntity<typeof ServiceAccountCredential>;

/**
 * A key that signs access tokens. The newest unretired one signs; retired ones stay published until
 * every token they signed has expired. The private half is stored encrypted (AES-256-GCM under a key
 * derived from GATEHOUSE_SECRET) and never leaves the server.
 */
export const SigningKey = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_keys',
  properties: {
    // The JWK `kid`.
    id: p.string().primary(),
    algorithm: p.string(),
    publicJwk: p.json<Record<string, string>>(),
    privateKeyEncrypted: p.text().hidden().lazy(),
    retiredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SigningKey = InferEntity<typeof SigningKey>;
