import { z } from 'zod';
import { maybeAuthedProcedure, ownedProcedure, publicProcedure, router } from '../trpc/procedures.js';
import {
  ZAcceptedInvitation,
  ZAcceptInvitationInput,
  ZInvitation,
  ZInvitationLookup,
  ZResendInvitationInput,
  ZTokenInput,
} from './schema.js';
import * as invitations from './service.js';

// organizations.invite / listInvitations / cancelInvitation act on an organization; these act on
// one invitation, found through its token (the invitee's side) or its id.
export const invitationsRouter = router({
  lookup: publicProcedure
    .input(ZTokenInput)
    .output(ZInvitationLookup)
    .query(({ ctx, input }) => invitations.lookupInvitation(ctx, input)),
  accept: maybeAuthedProcedure
    .input(ZAcceptInvitationInput)
    .output(ZAcceptedInvitation)
    .mutation(({ ctx, input }) => invitations.acceptInvitation(ctx, input)),
  decline: publicProcedure
    .input(ZTokenInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => invitations.declineInvitation(ctx, input)),
  resend: ownedProcedure('invitationId', 'members:invite')
    .input(ZResendInvitationInput)
    .output(ZInvitation)
    .mutation(({ ctx, input }) => invitations.resendInvitation(ctx, ctx.organizationId, input)),
});
