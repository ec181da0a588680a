import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZCredits } from '../credits/amount.js';
import { ZRoleKey } from '../roles/schema.js';

const ZDomain = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Must be a domain name');

/** Organization settings: typed, every key optional on update, unknown keys rejected by name. */
export const ZSettings = z.strictObject({
  enforceMfa: z.boolean(),
  ssoRequired: z.boolean(),
  defaultRole: ZRoleKey,
  allowedEmailDomains: z.array(ZDomain).max(50),
  invitationTtlDays: z.number().int().min(1).max(30),
  defaultWorkspaceImage: z.string().max(200).nullable(),
  // Credits: a debit that takes the balance below it sends the owners one alert per crossing.
  lowBalanceThreshold: ZCredits.nullable(),
});
export type TSettings = z.infer<typeof ZSettings>;
export const defaultSettings: TSettings = {
  enforceMfa: false,
  ssoRequired: false,
  defaultRole: 'member',
  allowedEmailDomains: [],
  invitationTtlDays: 7,
  defaultWorkspaceImage: null,
  lowBalanceThreshold: null,
};

const ZName = z.string().trim().min(1).max(200);
const ZDescription = z.string().trim().max(2000).nullable();
export const ZOrgInput = z.strictObject({ organizationId: zId('org') });

export const ZCreateOrganizationInput = z.strictObject({ name: ZName, description: ZDescription.optional() });
export const ZRetrieveOrganizationInput = ZOrgInput.extend({
  expand: z.array(z.literal('permissions')).max(1).optional(),
}).strict();
export const ZUpdateOrganizationInput = ZOrgInput.extend({
  name: ZName.optional(),
  description: ZDescription.optional(),
  settings: ZSettings.partial().strict().optional(),
}).strict();
export const ZListOrganizationsInput = ZPageInput.strict().optional();

export const ZOrganization = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  status: z.enum(['active', 'suspended']),
  plan: z.string(),
  memberCount: z.number().int(),
  credits: z.number(),
  ownerId: z.string().nullable(),
  namespace: z.string(),
  settings: ZSettings,
  ssoEnabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  // resource → action → allowed, for the caller, with expand: ['permissions'].
  permissions: z.record(z.string(), z.record(z.string(), z.boolean())).optional(),
});
export type TOrganization = z.infer<typeof ZOrganization>;
export const ZOrganizationPage = zPage(ZOrganization);

export const ZMembersInput = ZPageInput.extend({
  organizationId: zId('org'),
  role: ZRoleKey.optional(),
  search: z.string().trim().min(1).max(100).optional(),
}).strict();
export const ZMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  isOwner: z.boolean(),
  joinedAt: z.date(),
  status: z.enum(['active', 'invited', 'deactivated', 'archived']),
  external: z.boolean(),
  source: z.string(),
});
export type TMember = z.infer<typeof ZMember>;
export const ZMemberPage = zPage(ZMember);
/**
 * What addMember did: a member, or (for an account the organization does not manage, which joins only
 * by accepting) an invitation, shown with `status: 'invited'`, no user id and no profile.
 */
export const ZAddedMember = ZMember.extend({ userId: z.string().nullable(), invitationId: z.string().nullable() });
export type TAddedMember = z.infer<typeof ZAddedMember>;

export const ZAddMemberInput = ZOrgInput.extend({
  userId: zId('usr').optional(),
  email: z.email().max(254).optional(),
  role: ZRoleKey.optional(),
})
  .strict()
  .refine((i) => (i.userId === undefined) !== (i.email === undefined), 'Give exactly one of userId and email');
export const ZMemberRefInput = ZOrgInput.extend({ userId: zId('usr') }).strict();
export const ZUpdateMemberRoleInput = ZOrgInput.extend({ userId: zId('usr'), role: ZRoleKey }).strict();

export const ZIdentity = z.object({
  id: z.string(),
  type: z.enum(['user', 'serviceAccount']),
  name: z.string(),
  // Users only.
  email: z.string().optional(),
});
export const ZIdentityPage = zPage(ZIdentity);
export const ZOk = z.object({ ok: z.literal(true) });
