import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Membership } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { Project } from './project.entity.js';
import { User } from './user.entity.js';

/**
 * A team of an organization's members. Each organization has one built-in `everyone` team
 * (`isEveryone`): its members are the organization's, derived from memberships and never stored.
 */
export const Team = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    name: p.string(),
    description: p.string().nullable(),
    isEveryone: p.boolean().default(false),
    ...timestamps,
  },
  uniques: [{ properties: ['organizationId', 'name'] }],
  indexes: [
    { properties: ['organizationId', 'id'] },
    // One `everyone` per organization, however many requests create it lazily at once.
    {
      name: 'teams_everyone_unique',
      expression: `create unique index "teams_everyone_unique" on "teams" ("organization_id") where "is_everyone"`,
    },
  ],
});
export type Team = InferEntity<typeof Team>;

export const teamRoles = ['maintainer', 'member'] as const;

/**
 * A member of a team. It hangs off the organization membership: when the member leaves the
 * organization their team memberships go with it (on delete cascade), so a team never holds an outsider.
 */
export const TeamMember = defineEntity({
  name: 'TeamMember',
  tableName: 'team_members',
  properties: {
    teamId: () => p.manyToOne(Team).mapToPk().fieldName('team_id').deleteRule('cascade').primary(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').primary(),
    membershipId: () => p.manyToOne(Membership).mapToPk().fieldName('membership_id').deleteRule('cascade').index(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    role: p.enum(teamRoles).default('member'),
    ...timestamps,
  },
  // A user's teams in an organization: the authorization decision reads them on every cache miss.
  indexes: [{ properties: ['organizationId', 'userId'] }],
});
export type TeamMember = InferEntity<typeof TeamMember>;

/**
 * A role held by a team or a user on a resource: the organization (teams only: a user's own role there
 * is their membership's) or one of its projects. One binding per principal and resource; deleting the
 * team, the project or the user removes it (on delete cascade, in the same statement).
 */
export const RoleBinding = defineEntity({
  name: 'RoleBinding',
  tableName: 'role_bindings',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    teamId: () => p.manyToOne(Team).mapToPk().fieldName('team_id').deleteRule('cascade').nullable(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').nullable().index(),
    projectId: () => p.manyToOne(Project).mapToPk().fieldName('project_id').deleteRule('cascade').nullable(),
    role: p.string(),
    ...timestamps,
  },
  indexes: [
    { properties: ['organizationId', 'teamId'] },
    { properties: ['projectId', 'id'] },
    {
      name: 'role_bindings_principal_resource_unique',
      expression: `create unique index "role_bindings_principal_resource_unique" on "role_bindings" ("organization_id", coalesce("team_id", ''), coalesce("user_id", ''), coalesce("project_id", ''))`,
    },
  ],
  checks: [{ name: 'role_bindings_one_principal', expression: '(team_id is null) <> (user_id is null)' }],
});
export type RoleBinding = InferEntity<typeof RoleBinding>;
