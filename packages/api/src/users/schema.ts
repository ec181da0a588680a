import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZMemberRole } from '../roles/schema.js';

const timezones = new Set(Intl.supportedValuesOf('timeZone'));

export const ZProfile = z.strictObject({
  title: z.string().trim().max(100).optional(),
  timezone: z
    .string()
    .refine((tz) => timezones.has(tz) || tz === 'UTC', 'Must be an IANA time zone such as Europe/Paris')
    .optional(),
});

export const ZUpdateMeInput = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  username: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{1,38}$/, 'Lowercase letters, digits, _ . - (2 to 39 characters)')
    .nullable()
    .optional(),
  avatarUrl: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .nullable()
    .optional(),
  organizationId: zId('org').optional(),
  profile: ZProfile.optional(),
});
export type TUpdateMeInput = z.infer<typeof ZUpdateMeInput>;

export const ZListUsersInput = ZPageInput.extend({
  search: z.string().trim().min(1).max(100).optional(),
  active: z.boolean().optional(),
  archived: z.boolean().optional(),
}).strict();
export type TListUsersInput = z.infer<typeof ZListUsersInput>;

export const ZUserRef = z.strictObject({ userId: zId('usr') });
export const ZUserRefByIdOrEmail = z
  .strictObject({ userId: zId('usr').optional(), email: z.email().max(254).optional() })
  .refine((i) => (i.userId === undefined) !== (i.email === undefined), 'Give exactly one of userId and email');

export const ZUser = z.object({
  id: z.string(),
  email: z.string(),
  emails: z.array(z.string()),
  name: z.string(),
  username: z.string().nullable(),
  profile: z.object({ title: z.string().optional(), timezone: z.string().optional() }),
  // The user's role in the organization the request acts in.
  role: z.string().nullable(),
  roles: z.array(z.string()),
  platformRole: z.enum(['user', 'admin']),
  // For an account the organization does not manage: its membership's status there.
  status: z.enum(['active', 'invited', 'deactivated', 'archived']),
  emailVerified: z.boolean(),
  // The organization that manages the account (may change it account-wide), or null: it manages itself.
  managedBy: z.string().nullable(),
  organizationId: z.string().nullable(),
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
  avatarUrl: z.string().nullable(),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TUser = z.infer<typeof ZUser>;
export const ZUserPage = zPage(ZUser);

export const ZCreateUserInput = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: ZMemberRole.optional(),
  password: z.string().min(1).max(256).optional(),
  /** Instead of a password, email the user a link to set one. */
  sendInviteEmail: z.boolean().optional(),
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;
export const ZCreatedUser = ZUser.extend({
  // Shown once, when no password was given and no invitation email was asked for.
  generatedPassword: z.string().optional(),
});

// Name and role only: anything else (email, status, organizationId…) is a BAD_REQUEST, not ignored.
export const ZUpdateUserInput = z.strictObject({
  userId: zId('usr'),
  name: z.string().trim().min(1).max(200).optional(),
  role: ZMemberRole.optional(),
});
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

const ZResourceRef = z.object({ type: z.enum(['organization', 'project']), id: z.string() });

/** Every permission with the binding it comes from: the member's role, a team's role, or a project role. */
export const ZUserPermissions = z.object({
  items: z.array(
    z.object({
      permission: z.string(),
      resource: ZResourceRef,
      via: z.enum(['role', 'team', 'project']),
      role: z.string(),
      teamId: z.string().optional(),
      projectId: z.string().optional(),
    }),
  ),
});
export const ZUserTeams = z.object({
  items: z.array(
    z.object({ team: z.object({ id: z.string(), name: z.string() }), role: z.enum(['maintainer', 'member']) }),
  ),
});
export const ZUserResources = z.object({
  items: z.array(z.object({ resource: ZResourceRef.extend({ name: z.string() }), role: z.string() })),
});
