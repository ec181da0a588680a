import { z } from 'zod';
import { ZEvent, ZEventType } from '../core/events.js';
import { zId } from '../core/schema.js';

export { type TEvent, ZEvent, ZEventType } from '../core/events.js';

/**
 * Catching up: the events after `after` (a `sequence`, exclusive), oldest first. A receiver passes the
 * last sequence it processed and repeats with `nextAfter` while `hasMore`. `types` filters; the
 * sequence still says what was skipped, so a gap in a filtered list is not a missed event.
 */
export const ZListEventsInput = z
  .object({
    organizationId: zId('org'),
    types: z.array(ZEventType).min(1).max(50).optional(),
    after: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type TListEventsInput = z.infer<typeof ZListEventsInput>;

export const ZEventPage = z.object({
  items: z.array(ZEvent),
  /** The sequence to pass as `after` next; `after` itself when nothing came. */
  nextAfter: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type TEventPage = z.infer<typeof ZEventPage>;
