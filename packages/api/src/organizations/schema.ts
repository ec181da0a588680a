import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZRoleKey } from '../roles/schema.js';
import { ZSettings } from '../settings/schema.js';

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
  /** The member has a confirmed second factor (see settings.enforceMfa). */
  mfaEnabled: z.boolean(),
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
