import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    // DNS-safe slug of the name, unique across the deployment.
    label: p.string().unique(),
    // Derived once at creation and never changed, so external systems can key on it.
    namespace: p.string().unique(),
    description: p.string().nullable(),
    status: p.enum(['active', 'suspended'] as const).default('active'),
    // Why a platform admin suspended it (shown to nobody but the platform).
    suspendedReason: p.string().nullable(),
    plan: p.string().default('free'),
    // A paid plan's subscription; while it is active the organization cannot be deleted.
    subscriptionStatus: p.enum(['none', 'active', 'canceled'] as const).default('none'),
    settings: p
      .json<Record<string, unknown>>()
      .defaultRaw("'{}'")
      .onCreate((o) => o.settings ?? {}),
    ...timestamps,
  },
});
export type Organization = InferEntity<typeof Organization>;
