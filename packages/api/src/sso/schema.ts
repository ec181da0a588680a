import { z } from 'zod';
import { zId } from '../core/schema.js';
import { ZExpand, ZPermissionMap } from '../teams/schema.js';

/**
 * An OIDC issuer: an absolute http(s) URL without a query, fragment or credentials (discovery is
 * `<issuer>/.well-known/…`). A SAML identifier is the IdP's entity ID, any URI (Okta's are http://…, some
 * carry a query): nothing fetches it.
 */
export function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}
const ISSUER_MESSAGE = 'An OIDC identifier is the issuer URL (https://…, without query, fragment or credentials)';
const ZIdentifier = z.string().trim().min(1).max(2048);
const ZClientId = z.string().trim().min(1).max(512);
const ZClientSecret = z.string().min(1).max(2048);
const ZRoleKey = z.string().trim().min(1).max(64);

const ZOrgInput = z.strictObject({ organizationId: zId('org') });

export { ISSUER_MESSAGE };
export type TSsoRef = z.infer<typeof ZOrgInput>;
export const ZSsoRefInput = ZOrgInput;

export const ZEnableSsoInput = ZOrgInput.extend({
  /** OIDC: the issuer URL; SAML: the IdP's entity ID. */
  identifier: ZIdentifier,
  clientId: ZClientId,
  clientSecret: ZClientSecret,
  protocol: z.enum(['oidc', 'saml']).default('oidc'),
  samlMetadataXml: z.string().max(1_000_000).optional(),
  /** The role just-in-time members get (default: the organization's default role). */
  defaultRole: ZRoleKey.optional(),
  /** Members whose email is on a verified domain sign in through SSO only. */
  ssoRequired: z.boolean().default(false),
})
  .strict()
  .superRefine((input, ctx) => {
    if (input.protocol === 'oidc' && !isIssuerUrl(input.identifier)) {
      ctx.addIssue({ code: 'custom', path: ['identifier'], message: ISSUER_MESSAGE });
    }
  });
export type TEnableSsoInput = z.infer<typeof ZEnableSsoInput>;

export const ZUpdateSsoInput = ZOrgInput.extend({
  identifier: ZIdentifier.optional(),
  clientId: ZClientId.optional(),
  clientSecret: ZClientSecret.optional(),
  defaultRole: ZRoleKey.optional(),
  ssoRequired: z.boolean().optional(),
  /** A SAML connection's new IdP metadata (required with a new identifier). */
  samlMetadataXml: z.string().max(1_000_000).optional(),
}).strict();
export type TUpdateSsoInput = z.infer<typeof ZUpdateSsoInput>;

export const ZRetrieveSsoInput = ZOrgInput.extend({ expand: ZExpand }).strict();
export type TRetrieveSsoInput = z.infer<typeof ZRetrieveSsoInput>;

/** What discovery said of the IdP, in the Keycard shape (snake_case, as the discovery document names it). */
export const ZSsoProtocols = z.object({
  oauth2: z.object({
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    jwks_uri: z.string(),
    registration_endpoint: z.string().nullable(),
    scopes_supported: z.array(z.string()).nullable(),
    code_challenge_methods_supported: z.array(z.string()).nullable(),
  }),
  openid: z.object({ userinfo_endpoint: z.string().nullable() }),
});
export type TSsoProtocols = z.infer<typeof ZSsoProtocols>;

export const ZSsoConnection = z.object({
  id: z.string(),
  /** The IdP's issuer. */
  identifier: z.string(),
  clientId: z.string(),
  /** The client secret is write-only (stored encrypted): this only says one is set. */
  clientSecretSet: z.boolean(),
  protocols: ZSsoProtocols,
  protocol: z.enum(['oidc', 'saml']),
  defaultRole: z.string(),
  ssoRequired: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  permissions: ZPermissionMap.optional(),
});
export type TSsoConnection = z.infer<typeof ZSsoConnection>;

export const ZDisabledSso = z.object({ id: z.string(), deleted: z.literal(true) });

export const ZSsoTestResult = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ step: z.enum(['discovery', 'jwks', 'metadata']), ok: z.boolean(), detail: z.string() })),
});
export type TSsoTestResult = z.infer<typeof ZSsoTestResult>;

// cookie: true, a browser on the server's origin: the session is set as an HttpOnly cookie (as auth.login).
export const ZExchangeSsoCodeInput = z.strictObject({
  code: z.string().min(1).max(200),
  cookie: z.boolean().optional(),
});
