import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

export const ssoProtocols = ['oidc', 'saml'] as const;

/**
 * An organization's SSO connection (at most one). `metadata` is the IdP's validated discovery document;
 * the client secret is stored sealed (SecretBox under the deployment secret, bound to the row's id).
 */
export const SsoConnection = defineEntity({
  name: 'SsoConnection',
  tableName: 'sso_connections',
  properties: {
    id: p.string().primary(),
    organizationId: () =>
      p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade').unique(),
    protocol: p.enum(ssoProtocols).default('oidc'),
    identifier: p.string().length(2048),
    clientId: p.string().length(512),
    clientSecretSealed: p.text().hidden().lazy(),
    metadata: p.json<Record<string, unknown>>(),
    defaultRole: p.string(),
    ssoRequired: p.boolean().default(false),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type SsoConnection = InferEntity<typeof SsoConnection>;

/**
 * A sign-in under way, keyed by the SHA-256 of its `state` and the starting browser's cookie secret: spent
 * (deleted) by its callback. `nonce` holds the SAML AuthnRequest's id for a SAML sign-in.
 */
export const SsoLogin = defineEntity({
  name: 'SsoLogin',
  tableName: 'sso_logins',
  properties: {
    id: p.string().length(64).primary(),
    connectionId: () => p.manyToOne(SsoConnection).mapToPk().fieldName('connection_id').deleteRule('cascade'),
    nonce: p.string(),
    codeVerifierSealed: p.text().hidden().lazy(),
    redirectUri: p.string().length(2048),
    expiresAt: p.datetime().index(),
    createdAt: p.datetime(),
  },
});
export type SsoLogin = InferEntity<typeof SsoLogin>;

/** Who an IdP vouched for: (connection, issuer, subject) → an account; never matched by email. */
export const SsoIdentity = defineEntity({
  name: 'SsoIdentity',
  tableName: 'sso_identities',
  properties: {
    id: p.string().primary(),
    connectionId: () => p.manyToOne(SsoConnection).mapToPk().fieldName('connection_id').deleteRule('cascade'),
    issuer: p.string().length(2048),
    subject: p.string(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    email: p.string().nullable(),
    createdAt: p.datetime(),
    lastLoginAt: p.datetime().nullable(),
  },
  uniques: [
    { name: 'sso_identities_connection_issuer_subject_unique', properties: ['connectionId', 'issuer', 'subject'] },
    { properties: ['connectionId', 'userId'] },
  ],
});
export type SsoIdentity = InferEntity<typeof SsoIdentity>;

/** The one-time code a sign-in hands to its redirect_uri, by its SHA-256. */
export const SsoCode = defineEntity({
  name: 'SsoCode',
  tableName: 'sso_codes',
  properties: {
    codeHash: p.string().length(64).primary(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade'),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    expiresAt: p.datetime().index(),
    createdAt: p.datetime(),
  },
});
export type SsoCode = InferEntity<typeof SsoCode>;
