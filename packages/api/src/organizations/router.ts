import { anyOf, self } from '../access/requirements.js';
import { ZPageInput } from '../core/pagination.js';
import { ZOk } from '../core/schema.js';
import { authedProcedure, orgProcedure } from '../trpc/procedures.js';
import * as members from './members.js';
import {
  ZAddedMember,
  ZAddMemberInput,
  ZCreateOrganizationInput,
  ZIdentityPage,
  ZListOrganizationsInput,
  ZMember,
  ZMemberPage,
  ZMemberRefInput,
  ZMembersInput,
  ZOrganization,
  ZOrganizationPage,
  ZOrgInput,
  ZRetrieveOrganizationInput,
  ZUpdateMemberRoleInput,
  ZUpdateOrganizationInput,
} from './schema.js';
import * as organizations from './service.js';

const ok = { ok: true as const };

// The contract also lists other features' procedures under organizations.* (invite, credits,
// exchangeToken, …): root.ts adds them, so this file names no other feature.
export const organizationProcedures = {
  create: authedProcedure
    .input(ZCreateOrganizationInput)
    .output(ZOrganization)
    .mutation(({ ctx, input }) => organizations.createOrganization(ctx, input)),
  list: authedProcedure
    .input(ZListOrganizationsInput)
    .output(ZOrganizationPage)
    .query(({ ctx, input }) =>
      organizations.listOrganizations(ctx, { limit: input?.limit ?? 50, cursor: input?.cursor }),
    ),
  retrieve: orgProcedure('organizations:read')
    .input(ZRetrieveOrganizationInput)
    .output(ZOrganization)
    .query(({ ctx, input }) => organizations.retrieveOrganization(ctx, input.organizationId, input.expand)),
  update: orgProcedure('organizations:update')
    .input(ZUpdateOrganizationInput)
    .output(ZOrganization)
    .mutation(({ ctx, input }) => organizations.updateOrganization(ctx, input)),
  delete: orgProcedure('organizations:delete')
    .input(ZOrgInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await organizations.deleteOrganization(ctx, input.organizationId);
      return ok;
    }),

  members: orgProcedure('members:read')
    .input(ZMembersInput)
    .output(ZMemberPage)
    .query(({ ctx, input }) => members.listMembers(ctx, input)),
  addMember: orgProcedure('members:invite')
    .input(ZAddMemberInput)
    .output(ZAddedMember)
    .mutation(({ ctx, input }) => members.addMember(ctx, input)),
  // members:read lets a member leave; removing anyone else needs members:remove.
  removeMember: orgProcedure('members:read', anyOf('members:remove', self('userId')))
    .input(ZMemberRefInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await members.removeMember(ctx, input);
      return ok;
    }),
  updateMemberRole: orgProcedure('members:update')
    .input(ZUpdateMemberRoleInput)
    .output(ZMember)
    .mutation(({ ctx, input }) => members.updateMemberRole(ctx, input)),
  transferOwnership: orgProcedure('members:update')
    .input(ZMemberRefInput)
    .output(ZMember)
    .mutation(({ ctx, input }) => members.transferOwnership(ctx, input)),
  listIdentities: orgProcedure('members:read')
    .input(ZPageInput.extend({ organizationId: ZOrgInput.shape.organizationId }).strict())
    .output(ZIdentityPage)
    .query(({ ctx, input }) => members.listIdentities(ctx, input)),
};
