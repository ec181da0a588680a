import { z } from 'zod';
import { ZOk } from '../auth/schema.js';
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
  // Past the teams:read gate: teams:write, or the team's maintainer (see the service).
  addMember: orgProcedure('teams:read')
    .input(ZAddTeamMemberInput)
    .output(ZTeamMember)
    .mutation(({ ctx, input }) => teams.addTeamMember(ctx, input)),
  removeMember: orgProcedure('teams:read')
    .input(ZRemoveTeamMemberInput)
    .output(ZOk)
    .mutation(({ ctx, input }) => teams.removeTeamMember(ctx, input)),
  members: orgProcedure('teams:read')
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
