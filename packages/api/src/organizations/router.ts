import { anyOf, self } from '../access/requirements.js';
import { ZPageInput } from '../core/pagination.js';
import { balanceProcedure, transactionsProcedure } from '../credits/router.js';
import {
  ZCancelInvitationInput,
  ZInvitation,
  ZInvitationPage,
  ZInviteInput,
  ZListInvitationsInput,
} from '../invitations/schema.js';
import * as invitations from '../invitations/service.js';
import { ZListRolesInput, ZRoleList } from '../roles/schema.js';
import { listRoles } from '../roles/service.js';
import { exchangeTokenProcedure } from '../service-accounts/router.js';
import { authedProcedure, orgProcedure, router } from '../trpc/procedures.js';
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
  ZOk,
  ZOrganization,
  ZOrganizationPage,
  ZOrgInput,
  ZRetrieveOrganizationInput,
  ZUpdateMemberRoleInput,
  ZUpdateOrganizationInput,
} from './schema.js';
import * as organizations from './service.js';

const ok = { ok: true as const };

export const organizationsRouter = router({
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
  exchangeToken: exchangeTokenProcedure,
  listRoles: orgProcedure('roles:read')
    .input(ZListRolesInput)
    .output(ZRoleList)
    .query(({ ctx, input }) => listRoles(ctx, input.organizationId, input.scope)),
  invite: orgProcedure('members:invite')
    .input(ZInviteInput)
    .output(ZInvitation)
    .mutation(({ ctx, input }) => invitations.invite(ctx, input)),
  listInvitations: orgProcedure('members:read')
    .input(ZListInvitationsInput)
    .output(ZInvitationPage)
    .query(({ ctx, input }) => invitations.listInvitations(ctx, input)),
  cancelInvitation: orgProcedure('members:invite')
    .input(ZCancelInvitationInput)
    .output(ZInvitation)
    .mutation(({ ctx, input }) => invitations.cancelInvitation(ctx, input)),
  // The same procedures as credits.balance and credits.transactions.
  credits: balanceProcedure,
  transactions: transactionsProcedure,
});
