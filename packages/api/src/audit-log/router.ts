import { orgProcedure, router } from '../trpc/procedures.js';
import { ZAuditEventPage, ZListAuditEventsInput } from './schema.js';
import * as audit from './service.js';

// Append-only: the trail is listed, never edited or deleted, so there is no procedure to do either.
export const auditRouter = router({
  list: orgProcedure('audit:read')
    .input(ZListAuditEventsInput)
    .output(ZAuditEventPage)
    .query(({ ctx, input }) => audit.listEvents(ctx, input)),
});
