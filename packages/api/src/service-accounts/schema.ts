import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZMemberRole } from '../roles/schema.js';

const ZName = z.string().trim().min(1).max(200);
// service_accounts.description is varchar(255).
const ZDescription = z.string().trim().max(255).nullable();
const ZExpand = z.array(z.literal('permissions')).max(1).optional();
const ZExpiresInDays = z.number().int().min(1).max(3650);

const ZOrgInput = z.strictObject({ organizationId: zId('org') });
const ZAccountInput = ZOrgInput.extend({ serviceAccountId: zId('sa') }).strict();
const ZCredentialInput = ZAccountInput.extend({ credentialId: zId('cred') }).strict();

export const ZCreateServiceAccountInput = ZOrgInput.extend({
  name: ZName,
  description: ZDescription.optional(),
  // Any role of the organization but owner; the caller must hold everything it grants.
  role: ZMemberRole.default('member'),
}).strict();
export type TCreateServiceAccountInput = z.infer<typeof ZCreateServiceAccountInput>;
export const ZListServiceAccountsInput = ZPageInput.extend({ organizationId: zId('org') }).strict();
export const ZRetrieveServiceAccountInput = ZAccountInput.extend({ expand: ZExpand }).strict();
export const ZUpdateServiceAccountInput = ZAccountInput.extend({
  name: ZName.optional(),
  description: ZDescription.optional(),
  role: ZMemberRole.optional(),
}).strict();
export type TUpdateServiceAccountInput = z.infer<typeof ZUpdateServiceAccountInput>;
export const ZServiceAccountRefInput = ZAccountInput;

export const ZServiceAccount = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  role: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  permissions: z.record(z.string(), z.record(z.string(), z.boolean())).optional(),
});
export type TServiceAccount = z.infer<typeof ZServiceAccount>;
export const ZServiceAccountPage = zPage(ZServiceAccount);

export const ZCreateCredentialInput = ZAccountInput.extend({
  name: ZName.optional(),
  expiresInDays: ZExpiresInDays.optional(),
}).strict();
export const ZListCredentialsInput = ZPageInput.extend({
  organizationId: zId('org'),
  serviceAccountId: zId('sa'),
}).strict();
export const ZCredentialRefInput = ZCredentialInput;
export const ZUpdateCredentialInput = ZCredentialInput.extend({
  name: ZName.optional(),
  // From now; null removes the expiry.
  expiresInDays: ZExpiresInDays.nullable().optional(),
}).strict();
export type TUpdateCredentialInput = z.infer<typeof ZUpdateCredentialInput>;

export const ZCredential = z.object({
  id: z.string(),
  clientId: z.string(),
  name: z.string(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TCredential = z.infer<typeof ZCredential>;
export const ZCredentialPage = zPage(ZCredential);
/** The secret is in this answer only; Gatehouse keeps its SHA-256. */
export const ZNewCredential = z.object({
  id: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  name: z.string(),
  expiresAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TNewCredential = z.infer<typeof ZNewCredential>;

export const ZExchangeTokenInput = ZOrgInput.extend({
  clientId: z.string().min(1).max(100),
  clientSecret: z.string().min(1).max(200),
  scope: z.string().max(2000).optional(),
  audience: z.string().min(1).max(200).optional(),
}).strict();
export const ZTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});
