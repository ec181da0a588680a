import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { User } from './user.entity.js';

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary(),
    // SHA-256 of the session token, hex.
    tokenHash: p.string().unique().hidden(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    ip: p.string().nullable(),
    userAgent: p.string().nullable(),
    // When it was last used, written at most once a minute (sessions/sessions.ts).
    lastSeenAt: p.datetime().nullable(),
    // When a second factor was last proven in this session (auth.verifyMfa, auth.mfa.stepUp): step-up.
    mfaVerifiedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type Session = InferEntity<typeof Session>;
