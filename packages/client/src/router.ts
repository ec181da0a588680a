// The router type only, from its own entry point: a consumer loads no server code and no ORM types.
// The installable package inlines these declarations (see tsdown.config.ts).
import type { AppRouter } from '@gatehouse/api/router';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** A role's key: the built-in roles autocomplete, and a custom role's key (`release-manager`) fits too. */
export type RoleKey = NonNullable<RouterInputs['organizations']['invite']['role']>;
