import { actorTypes } from '@gatehouse/db/values';
import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';

export const ZListAuditEventsInput = ZPageInput.extend({
  organizationId: zId('org'),
  actorId: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(64).optional(),
  // A half-open range [since, until), so consecutive windows neither overlap nor leave gaps.
  since: z.date().optional(),
  until: z.date().optional(),
})
  .strict()
  .refine((i) => !i.since || !i.until || i.since <= i.until, { message: 'Must not be before since', path: ['until'] });
export type TListAuditEventsInput = z.infer<typeof ZListAuditEventsInput>;

export const ZAuditEvent = z.object({
  id: z.string(),
  organizationId: z.string(),
  // platform: a platform admin acting with platform authority (not as a member of the organization).
  actor: z.object({ type: z.enum(actorTypes), id: z.string().nullable(), platform: z.boolean() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.date(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;
export const ZAuditEventPage = zPage(ZAuditEvent);
