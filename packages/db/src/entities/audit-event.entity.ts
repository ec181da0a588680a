import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { actorTypes } from '../values.js';

export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

/** Append-only: no code path updates or deletes these rows, so there is no updatedAt. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.string().primary(),
    // No foreign key: the trail outlives what it describes.
    organizationId: p.string().nullable(),
    actorType: p.enum(actorTypes),
    actorId: p.string().nullable(),
    // A platform admin acting on an organization with platform authority, not as its member.
    actorPlatform: p.boolean().default(false),
    action: p.string(),
    targetType: p.string().nullable(),
    targetId: p.string().nullable(),
    changes: p.json<AuditChanges>().nullable(),
    ip: p.string().nullable(),
    requestId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['organizationId', 'id'] }, { properties: ['targetId'] }],
});
export type AuditEvent = InferEntity<typeof AuditEvent>;
