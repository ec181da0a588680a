import { z } from 'zod';
import { anyOf, maintainerOf, self } from '../access/requirements.js';
import { ZOk } from '../core/schema.js';
import { orgProcedure, router } from '../trpc/procedures.js';
import {
  ZAddTeamMemberInput,
  ZCreateTeamInput,
  ZGrantRoleInput,
  ZListTeamsInput,
  ZRemoveTeamMemberInput,
  ZRetrieveTeamInput,
  ZRevokeRoleInput,
  ZTeam,
  ZTeamMember,
  ZTeamMemberPage,
  ZTeamMembersInput,
  ZTeamPage,
  ZTeamRefInput,
  ZUpdateTeamInput,
} from './schema.js';
import * as teams from './service.js';

export const teamsRouter = router({
  create: orgProcedure('teams:write')
    .input(ZCreateTeamInput)
    .output(ZTeam)
    .mutation(({ ctx, input }) => teams.createTeam(ctx, input)),
  list: orgProcedure('teams:read')
    .input(ZListTeamsInput)
    .output(ZTeamPage)
    .query(({ ctx, input }) => teams.listTeams(ctx, input)),
  retrieve: orgProcedure('teams:read')
    .input(ZRetrieveTeamInput)
    .output(ZTeam)
    .query(({ ctx, input }) => teams.retrieveTeam(ctx, input)),
  update: orgProcedure('teams:write')
    .input(ZUpdateTeamInput)
    .output(ZTeam)
    .mutation(({ ctx, input }) => teams.updateTeam(ctx, input)),
  delete: orgProcedure('teams:write')
    .input(ZTeamRefInput)
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => teams.deleteTeam(ctx, input)),
  // A team's maintainers manage its membership without teams:write.
  addMember: orgProcedure('teams:read', anyOf('teams:write', maintainerOf('teamId')))
    .input(ZAddTeamMemberInput)
    .output(ZTeamMember)
    .mutation(({ ctx, input }) => teams.addTeamMember(ctx, input)),
  removeMember: orgProcedure('teams:read', anyOf('teams:write', maintainerOf('teamId'), self('userId')))
    .input(ZRemoveTeamMemberInput)
    .output(ZOk)
    .mutation(({ ctx, input }) => teams.removeTeamMember(ctx, input)),
  // Who is in a team, with their email, is the organization's member list by another door (the
  // everyone team holds all of it): it takes members:read too, as organizations.members does.
  members: orgProcedure('teams:read', 'members:read')
    .input(ZTeamMembersInput)
    .output(ZTeamMemberPage)
    .query(({ ctx, input }) => teams.listTeamMembers(ctx, input)),
  grantRole: orgProcedure('teams:write')
    .input(ZGrantRoleInput)
    .output(ZTeam)
    .mutation(({ ctx, input }) => teams.grantTeamRole(ctx, input)),
  revokeRole: orgProcedure('teams:write')
    .input(ZRevokeRoleInput)
    .output(ZTeam)
    .mutation(({ ctx, input }) => teams.revokeTeamRole(ctx, input)),
});
