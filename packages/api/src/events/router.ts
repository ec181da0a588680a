import { orgProcedure, router } from '../trpc/procedures.js';
import { ZEventPage, ZListEventsInput } from './schema.js';
import * as events from './service.js';

// Append-only, like the audit trail: events are written with the changes they describe, only listed here.
export const eventsRouter = router({
  list: orgProcedure('webhooks:read')
    .input(ZListEventsInput)
    .output(ZEventPage)
    .query(({ ctx, input }) => events.listEvents(ctx, input)),
});
