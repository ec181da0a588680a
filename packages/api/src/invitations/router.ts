import { z } from 'zod';
import { maybeAuthedProcedure, orgProcedure, ownedProcedure, publicProcedure, router } from '../trpc/procedures.js';
import * as invitee from './accept.js';
import * as invitations from './issue.js';
import {
  ZAcceptedInvitation,
  ZAcceptInvitationInput,
  ZCancelInvitationInput,
  ZInvitation,
  ZInvitationLookup,
  ZInvitationPage,
  ZInviteInput,
  ZListInvitationsInput,
  ZResendInvitationInput,
  ZTokenInput,
} from './schema.js';

// organizations.invite / listInvitations / cancelInvitation act on an organization (root.ts mounts them
// there, as the contract names them)…
export const organizationInvitationProcedures = {
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
};

// …these act on one invitation, found through its token (the invitee's side) or its id.
export const invitationsRouter = router({
  lookup: publicProcedure
    .input(ZTokenInput)
    .output(ZInvitationLookup)
    .query(({ ctx, input }) => invitee.lookupInvitation(ctx, input)),
  accept: maybeAuthedProcedure
    .input(ZAcceptInvitationInput)
    .output(ZAcceptedInvitation)
    .mutation(({ ctx, input }) => invitee.acceptInvitation(ctx, input)),
  decline: publicProcedure
    .input(ZTokenInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => invitee.declineInvitation(ctx, input)),
  resend: ownedProcedure('invitationId', 'members:invite')
    .input(ZResendInvitationInput)
    .output(ZInvitation)
    .mutation(({ ctx, input }) => invitations.resendInvitation(ctx, ctx.organizationId, input)),
});
