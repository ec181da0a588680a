import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';

// Optional as a whole: auth.sessions.list() lists the first page.
export const ZListSessionsInput = ZPageInput.strict().prefault({});
export type TListSessionsInput = z.infer<typeof ZListSessionsInput>;

/** One of the caller's live sessions: where and on what it was last used. */
export const ZSessionInfo = z.object({
  id: z.string(),
  /** The session this request came with. */
  current: z.boolean(),
  /** The device's User-Agent as last seen (at most 255 characters). */
  userAgent: z.string().nullable(),
  /** The address it was last used from. */
  ip: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  /** Moves forward with use, up to seven days after sign-in. */
  expiresAt: z.date(),
});
export type TSessionInfo = z.infer<typeof ZSessionInfo>;
export const ZSessionPage = zPage(ZSessionInfo);

export const ZRevokeSessionInput = z.strictObject({ sessionId: zId('ses') });
export const ZRevokedSessions = z.object({ revoked: z.number().int() });
