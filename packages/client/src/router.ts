// The router type only, from its own entry point: a consumer loads no server code and no ORM types.
// The installable package inlines these declarations (see tsdown.config.ts).
import type { AppRouter } from '@gatehouse/api/router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/**
 * An organization's event, as `events.list` returns it and a webhook delivers it: a union discriminated
 * by `type`, so `if (event.type === 'organization.member_added') event.data.role` type-checks.
 */
export type GatehouseEvent = RouterOutputs['events']['list']['items'][number];
export type GatehouseEventType = GatehouseEvent['type'];
/** The event of one type: `EventOf<'api_key.revoked'>['data']['apiKeyId']`. */
export type EventOf<T extends GatehouseEventType> = Extract<GatehouseEvent, { type: T }>;
/** A role's key: the built-in roles autocomplete, and a custom role's key (`release-manager`) fits too. */
export type RoleKey = NonNullable<RouterInputs['organizations']['invite']['role']>;
