// The router type only, from its own entry point: a consumer loads no server code and no ORM types.
// The installable package inlines these declarations (see tsdown.config.ts).
import type { AppRouter, Permission } from '@gatehouse/api/router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type { AppRouter, Permission };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/**
 * The permissions a client's calls may name. By default any (`Permission | (string & {})`: the built-in
 * ones autocomplete, one the operator registered still fits); `createGatehouseClient<{ permissions:
 * 'workflows:read' | … }>()` closes it to the built-in ones and those, so a misspelling fails to compile.
 */
export interface Catalogue {
  permissions: string;
}
/** Every permission: the built-in ones autocomplete, any registered one fits. */
export interface OpenCatalogue {
  permissions: string & {};
}
export type PermissionOf<C extends Catalogue> = Permission | C['permissions'];
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
