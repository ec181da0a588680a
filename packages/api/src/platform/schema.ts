import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZOrganization } from '../organizations/schema.js';

const ZSearch = z.string().trim().min(1).max(100).optional();
export const ZPlatformListInput = ZPageInput.extend({ search: ZSearch }).strict();

/** What the platform sees of an organization: its public shape, and its billing and suspension state. */
export const ZPlatformOrganization = ZOrganization.extend({
  subscriptionStatus: z.enum(['none', 'active', 'canceled']),
  suspendedReason: z.string().nullable(),
});
export type TPlatformOrganization = z.infer<typeof ZPlatformOrganization>;
export const ZPlatformOrganizationPage = zPage(ZPlatformOrganization);

export const ZPlatformOrgInput = z.strictObject({ organizationId: zId('org') });
export const ZPlatformUpdateOrganizationInput = ZPlatformOrgInput.extend({
  plan: z.string().trim().min(1).max(64).optional(),
  subscriptionStatus: z.enum(['none', 'active', 'canceled']).optional(),
}).strict();
export const ZSuspendInput = ZPlatformOrgInput.extend({ reason: z.string().trim().min(1).max(255) }).strict();

export const ZPlatformUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(['active', 'invited', 'deactivated', 'archived']),
  platformRole: z.enum(['user', 'admin']),
  emailVerified: z.boolean(),
  managedBy: z.string().nullable(),
  organizationId: z.string().nullable(),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TPlatformUser = z.infer<typeof ZPlatformUser>;
export const ZPlatformUserPage = zPage(ZPlatformUser);
export const ZPlatformUserRef = z.strictObject({ userId: zId('usr') });
