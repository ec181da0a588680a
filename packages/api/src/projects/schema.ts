import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZExpand, ZPermissionMap } from '../teams/schema.js';

const ZName = z.string().trim().min(1).max(100);
const ZDescription = z.string().trim().max(255).nullable();
export const ZProjectRole = z.enum(['project_admin', 'project_editor', 'project_viewer']);

const ZOrgInput = z.strictObject({ organizationId: zId('org') });
const ZProjectInput = ZOrgInput.extend({ projectId: zId('prj') }).strict();

export const ZCreateProjectInput = ZOrgInput.extend({ name: ZName, description: ZDescription.optional() }).strict();
export type TCreateProjectInput = z.infer<typeof ZCreateProjectInput>;
export const ZListProjectsInput = ZPageInput.extend({ organizationId: zId('org') }).strict();
export const ZRetrieveProjectInput = ZProjectInput.extend({ expand: ZExpand }).strict();
export const ZUpdateProjectInput = ZProjectInput.extend({
  name: ZName.optional(),
  description: ZDescription.optional(),
}).strict();
export type TUpdateProjectInput = z.infer<typeof ZUpdateProjectInput>;
export const ZProjectRefInput = ZProjectInput;
export type TProjectRef = z.infer<typeof ZProjectInput>;

const exactlyOne = (i: { userId?: unknown; email?: unknown; teamId?: unknown }) =>
  [i.userId, i.email, i.teamId].filter((v) => v !== undefined).length === 1;

export const ZAddCollaboratorInput = ZProjectInput.extend({
  role: ZProjectRole,
  userId: zId('usr').optional(),
  email: z.email().max(254).optional(),
  teamId: zId('team').optional(),
})
  .strict()
  .refine(exactlyOne, 'Give exactly one of userId, email and teamId');
export type TAddCollaboratorInput = z.infer<typeof ZAddCollaboratorInput>;
export const ZRemoveCollaboratorInput = ZProjectInput.extend({
  userId: zId('usr').optional(),
  teamId: zId('team').optional(),
})
  .strict()
  .refine(exactlyOne, 'Give exactly one of userId and teamId');
export type TRemoveCollaboratorInput = z.infer<typeof ZRemoveCollaboratorInput>;
export const ZCollaboratorsInput = ZPageInput.extend({ organizationId: zId('org'), projectId: zId('prj') }).strict();

export const ZProject = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  permissions: ZPermissionMap.optional(),
});
export type TProject = z.infer<typeof ZProject>;
export const ZProjectPage = zPage(ZProject);

/** A user or a team holding a role on the project; a user who is no member of the organization is external. */
export const ZCollaborator = z.object({
  type: z.enum(['user', 'team']),
  // null while invited: who accepts is unknown until they do.
  id: z.string().nullable(),
  invitationId: z.string().nullable(),
  status: z.enum(['active', 'invited']),
  name: z.string(),
  email: z.string().nullable(),
  role: ZProjectRole,
  external: z.boolean(),
  createdAt: z.date(),
});
export type TCollaborator = z.infer<typeof ZCollaborator>;
export const ZCollaboratorPage = zPage(ZCollaborator);
