import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';
import { Project } from './project.entity.js';
import { User } from './user.entity.js';

/**
 * An invitation to join an organization. Only the SHA-256 of its token is stored. `expired` is not
 * a stored status: a pending invitation past `expiresAt` is expired. At most one pending invitation
 * per organization and email, held by a partial unique index (see the migration).
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    // Normalised (see accounts/email.ts).
    email: p.string(),
    // A built-in role or a custom role's key, like memberships.role; a project role for a project invitation.
    role: p.string(),
    // A project invitation: accepting it makes the invitee a collaborator on this project (a role binding),
    // not a member of the organization.
    projectId: () => p.manyToOne(Project).mapToPk().fieldName('project_id').deleteRule('cascade').nullable(),
    inviterId: () => p.manyToOne(User).mapToPk().fieldName('inviter_id').deleteRule('set null').nullable(),
    tokenHash: p.string().unique().hidden(),
    status: p.enum(['pending', 'accepted', 'cancelled'] as const).default('pending'),
    // Set when the invitee (not the organization) cancelled it through invitations.decline.
    declinedAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: p.string().nullable(),
    ...timestamps,
  },
  indexes: [
    { properties: ['organizationId', 'id'] },
    { properties: ['organizationId', 'status', 'id'] },
    // One pending invitation per organization (or project) and email (case-insensitively, like accounts),
    // whatever the number of parallel invites.
    {
      name: 'invitations_pending_email_unique',
      expression: `create unique index "invitations_pending_email_unique" on "invitations" ("organization_id", coalesce("project_id", ''), lower("email")) where "status" = 'pending'`,
    },
  ],
});
export type Invitation = InferEntity<typeof Invitation>;
