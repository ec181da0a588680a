import { z } from 'zod';
import { PASSWORD_MAX } from '../auth/password-policy.js';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZMemberRole } from '../roles/schema.js';

export const invitationStatuses = ['pending', 'accepted', 'expired', 'cancelled'] as const;
export type TInvitationStatus = (typeof invitationStatuses)[number];

const ZOrg = z.strictObject({ organizationId: zId('org') });
// Tokens are `ghi_` and 43 base62 characters; anything much longer is not one of ours.
const ZToken = z.string().min(1).max(128);

export const ZInviteInput = ZOrg.extend({ email: z.email().max(254), role: ZMemberRole.optional() }).strict();
export const ZListInvitationsInput = ZOrg.extend({
  status: z.enum(invitationStatuses).optional(),
  ...ZPageInput.shape,
}).strict();
export const ZCancelInvitationInput = ZOrg.extend({ invitationId: zId('inv') }).strict();
export const ZResendInvitationInput = z.strictObject({ invitationId: zId('inv') });
export const ZTokenInput = z.strictObject({ token: ZToken });
export const ZAcceptInvitationInput = z.strictObject({
  token: ZToken,
  // Only when the invitation creates the account (or sets the first password of a pre-registered one).
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(1).max(PASSWORD_MAX).optional(),
});

export const ZInvitation = z.object({
  id: z.string(),
  organizationId: z.string(),
  email: z.string(),
  role: z.string(),
  status: z.enum(invitationStatuses),
  inviter: z.object({ id: z.string(), name: z.string() }).nullable(),
  expiresAt: z.date(),
  acceptedAt: z.date().nullable(),
  // Set when the invitee declined (the status is then `cancelled`).
  declinedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TInvitation = z.infer<typeof ZInvitation>;
export const ZInvitationPage = zPage(ZInvitation);

/** What the holder of a token may see: nothing about the organization beyond its name. */
export const ZInvitationLookup = z.object({
  organizationName: z.string(),
  inviterName: z.string().nullable(),
  role: z.string(),
  status: z.enum(invitationStatuses),
});

export const ZAcceptedInvitation = z.object({
  organizationId: z.string(),
  userId: z.string(),
  role: z.string(),
  // A session for an account created (or first given a password) by accepting; absent when signed in.
  sessionToken: z.string().optional(),
  expiresAt: z.date().optional(),
});
