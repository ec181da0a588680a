import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZMemberRole } from '../roles/schema.js';

// teams.name and teams.description are varchar(255).
const ZName = z.string().trim().min(1).max(100);
const ZDescription = z.string().trim().max(255).nullable();
export const ZExpand = z.array(z.literal('permissions')).max(1).optional();
export const ZTeamRole = z.enum(['maintainer', 'member']);

const ZOrgInput = z.strictObject({ organizationId: zId('org') });
const ZTeamInput = ZOrgInput.extend({ teamId: zId('team') }).strict();

export const ZCreateTeamInput = ZOrgInput.extend({ name: ZName, description: ZDescription.optional() }).strict();
export type TCreateTeamInput = z.infer<typeof ZCreateTeamInput>;
export const ZListTeamsInput = ZPageInput.extend({
  organizationId: zId('org'),
  search: z.string().trim().min(1).max(100).optional(),
}).strict();
export type TListTeamsInput = z.infer<typeof ZListTeamsInput>;
export const ZRetrieveTeamInput = ZTeamInput.extend({ expand: ZExpand }).strict();
export const ZUpdateTeamInput = ZTeamInput.extend({
  name: ZName.optional(),
  description: ZDescription.optional(),
}).strict();
export type TUpdateTeamInput = z.infer<typeof ZUpdateTeamInput>;
export const ZTeamRefInput = ZTeamInput;
export type TTeamRef = z.infer<typeof ZTeamInput>;

export const ZAddTeamMemberInput = ZTeamInput.extend({
  userId: zId('usr'),
  role: ZTeamRole.default('member'),
}).strict();
export type TAddTeamMemberInput = z.infer<typeof ZAddTeamMemberInput>;
export const ZRemoveTeamMemberInput = ZTeamInput.extend({ userId: zId('usr') }).strict();
export const ZTeamMembersInput = ZPageInput.extend({ organizationId: zId('org'), teamId: zId('team') }).strict();

/** An organization role (no projectId) or a project role (project_admin|project_editor|project_viewer) on projectId. */
export const ZGrantRoleInput = ZTeamInput.extend({
  role: z.union([z.enum(['project_admin', 'project_editor', 'project_viewer']), ZMemberRole]),
  projectId: zId('prj').optional(),
}).strict();
export type TGrantRoleInput = z.infer<typeof ZGrantRoleInput>;
export const ZRevokeRoleInput = ZTeamInput.extend({ projectId: zId('prj').optional() }).strict();
export type TRevokeRoleInput = z.infer<typeof ZRevokeRoleInput>;

export const ZResource = z.object({ type: z.enum(['organization', 'project']), id: z.string() });
export const ZPermissionMap = z.record(z.string(), z.record(z.string(), z.boolean()));

export const ZTeam = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  isEveryone: z.boolean(),
  memberCount: z.number().int(),
  roles: z.array(z.object({ role: z.string(), resource: ZResource })),
  createdAt: z.date(),
  updatedAt: z.date(),
  permissions: ZPermissionMap.optional(),
});
export type TTeam = z.infer<typeof ZTeam>;
export const ZTeamPage = zPage(ZTeam);

export const ZTeamMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZTeamRole,
  joinedAt: z.date(),
});
export type TTeamMember = z.infer<typeof ZTeamMember>;
export const ZTeamMemberPage = zPage(ZTeamMember);
