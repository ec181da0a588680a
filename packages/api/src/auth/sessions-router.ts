import { ZOk } from '../core/schema.js';
import { router, sessionProcedure } from '../trpc/procedures.js';
import { ZListSessionsInput, ZRevokedSessions, ZRevokeSessionInput, ZSessionPage } from './sessions-schema.js';
import * as sessions from './sessions-service.js';

const ok = { ok: true as const };

/** auth.sessions.*: the caller's own sessions, for a person signed in with one. */
export const sessionsRouter = router({
  list: sessionProcedure
    .input(ZListSessionsInput)
    .output(ZSessionPage)
    .query(({ ctx, input }) => sessions.listSessions(ctx, input)),
  revoke: sessionProcedure
    .input(ZRevokeSessionInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await sessions.revokeSession(ctx, input.sessionId);
      return ok;
    }),
  revokeOthers: sessionProcedure.output(ZRevokedSessions).mutation(({ ctx }) => sessions.revokeOtherSessions(ctx)),
});
