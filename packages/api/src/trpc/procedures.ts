import { ConnectionException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { withBindings } from '../access/bindings.js';
import { assertMayAct, assertNotBarred } from '../access/membership.js';
import type { Requirement } from '../access/requirements.js';
import { type Verifying, verifierOf } from '../access/verifier.js';
import { AppError, type ErrorShape } from '../core/errors.js';
import type { Permission, PlatformPermission } from '../core/permissions.js';
import { zId } from '../core/schema.js';
import type { Runtime } from '../infra/caller.js';
import { assertPlatform, authenticate, authorizeIn, authorizeOn, principalIn } from './authenticate.js';
import { runtimeOf } from './context.js';
import type { RequestContext } from './request-context.js';
import { assertMeets } from './requirements.js';
import { assertCleanInput } from './untrusted-input.js';
import { transformer } from './wire.js';

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof ConnectionException) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && DB_DOWN_CODES.has(code)) return true;
    if (/Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

/** Field → messages from a zod error; an unknown key is reported under its own name. */
function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (path: PropertyKey[], message: string) => {
    const key = path.map(String).join('.') || '_';
    out[key] = [...(out[key] ?? []), message];
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'Unknown field');
    } else add(issue.path, issue.message);
  }
  return out;
}

const t = initTRPC.context<RequestContext>().create({
  transformer,
  errorFormatter({ shape, error }): ErrorShape {
    const { stack: _stack, ...data } = shape.data;
    const cause = error.cause;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      // Unexpected errors are logged by the server with the request id; the client learns nothing of them.
      message: internal ? 'Internal server error' : shape.message,
      data: {
        ...data,
        reason: cause instanceof AppError ? cause.reason : error.code,
        ...(cause instanceof AppError && cause.details ? { details: cause.details } : {}),
        // Only for input: a failed output check is our bug, and its paths are nobody else's business.
        ...(!internal && cause instanceof z.ZodError ? { fieldErrors: fieldErrors(cause) } : {}),
      },
    };
  },
});

/**
 * An entity manager forked on first use: a call answered from caches (auth.whoami with a cached key)
 * never forks one, and a fork is not free (MikroORM's Configuration.sync on every fork).
 */
function lazyFork(runtime: Runtime): EntityManager {
  let em: EntityManager | undefined;
  const real = () => {
    em ??= runtime.orm.em.fork();
    return em;
  };
  return new Proxy({} as EntityManager, {
    get(_, property) {
      const target = real();
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_, property, value) => Reflect.set(real(), property, value),
    has: (_, property) => Reflect.has(real(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/**
 * The base of every procedure: hands the procedure this request's runtime and entity manager, and
 * turns what services throw into the TRPCError the client sees (AppError by its reason, a lost
 * database as 503). Every raw input is checked for control characters first (untrusted-input.ts). One middleware, not two: each layer costs every call a context copy.
 */
const base = t.middleware(async ({ ctx, next, getRawInput, type }) => {
  assertCleanInput(await getRawInput());
  const runtime = runtimeOf(ctx.runtime);
  const result = await next({ ctx: { runtime, em: lazyFork(runtime), mutation: type === 'mutation' } });
  if (result.ok || result.error.code !== 'INTERNAL_SERVER_ERROR') return result;
  const error = errorOf(result.error.cause);
  return error ? { ...result, error } : result;
});

/**
 * What the client hears of an error a service threw: an AppError by its reason, a lost database as
 * 503 DATABASE_UNAVAILABLE; undefined for anything else (an internal error).
 */
function errorOf(cause: unknown): TRPCError | undefined {
  if (cause instanceof AppError) return new TRPCError({ code: cause.code, message: cause.message, cause });
  if (isDatabaseUnavailable(cause)) {
    const unavailable = new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable; retry shortly');
    return new TRPCError({ code: unavailable.code, message: unavailable.message, cause: unavailable });
  }
  return undefined;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(base);

/**
 * The caller, established once from the credential: a user or a service account. Nothing a barred
 * principal (a suspended organization, a deactivated membership) asks of the organization it acts in is done.
 */
export const principalProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await authenticate(ctx);
  assertMayAct(principal);
  return next({ ctx: { principal } });
});

/**
 * principalProcedure for what a session owing its organization a second factor may still do
 * (auth.whoami): everything but the MFA_REQUIRED check (authenticate.ts, assertMfaSatisfied).
 */
export const mfaExemptPrincipalProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await authenticate(ctx);
  assertNotBarred(principal);
  return next({ ctx: { principal } });
});

/**
 * A procedure that acts as a user (their keys, sessions, profile, organizations): a service account
 * is refused (FORBIDDEN USER_ONLY), so nothing mints a user's credential or account from a token.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  // principalProcedure's step and the user check in one layer: every layer copies the context.
  const principal = await authenticate(ctx);
  assertMayAct(principal);
  assertUser(principal);
  return next({ ctx: { principal } });
});

/** authedProcedure for what a session owing a second factor may still do (auth.logout, users.me). */
export const mfaExemptAuthedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await authenticate(ctx);
  assertNotBarred(principal);
  assertUser(principal);
  return next({ ctx: { principal } });
});

/**
 * A procedure on the caller's sessions (auth.sessions.*) and second factors (auth.mfa.*): a person
 * signed in with a session. An API key has no session to manage (FORBIDDEN SESSION_ONLY), a service
 * account is no user (USER_ONLY). A session owing its organization a second factor may use these: it
 * enrols through them (see assertMfaSatisfied).
 */
export const sessionProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await authenticate(ctx);
  assertNotBarred(principal);
  assertUser(principal);
  const { sessionId } = principal;
  if (!sessionId) {
    throw new AppError('SESSION_ONLY', 'Only a signed-in session can manage sessions; an API key has none');
  }
  return next({ ctx: { principal: { ...principal, sessionId } } });
});

/** A public procedure that also knows the caller (a user) when a credential came with the request. */
export const maybeAuthedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = ctx.credential ? await authenticate(ctx) : null;
  if (principal) assertUser(principal);
  return next({ ctx: { principal } });
});

/**
 * A procedure a user calls on their own behalf (their keys) that needs every requirement in the
 * organization their credential acts in, if any: `anyOf('apiKeys:write', holderOf('keyId'))`.
 */
export const ownProcedure = (...requirements: Requirement[]) =>
  authedProcedure.use(async ({ ctx, next, getRawInput }) => {
    const { principal } = ctx;
    await assertMeets(ctx, { organizationId: principal.organizationId }, requirements, await getRawInput());
    return next();
  });

function assertUser(principal: { kind: string }): void {
  if (principal.kind !== 'user') throw new AppError('USER_ONLY', 'Only a user can do this, not a service account');
}

/**
 * A procedure on one organization's resources that needs `permission` there, and every further
 * requirement (access/requirements.ts: `anyOf('teams:write', maintainerOf('teamId'))`), so the router
 * reads as the policy and no service decides a permission. The caller acts in the organization of the
 * input (NOT_FOUND unless they belong to it: another tenant's existence is never revealed; platform
 * admins reach any organization for the platform-only permissions). The procedure's own (strict) input
 * must include `organizationId` too, and the fields the predicates name: this parser only reads them.
 */
export const orgProcedure = (permission: Permission, ...requirements: Requirement[]) =>
  principalProcedure.input(z.object({ organizationId: zId('org') })).use(async ({ ctx, input, next, getRawInput }) => {
    const principal = await authorizeIn(ctx, input.organizationId, permission, 'Organization not found');
    if (requirements.length) {
      await assertMeets({ em: ctx.em, principal }, input, requirements, await getRawInput());
    }
    return next({ ctx: { principal } });
  });

/** Rows some procedures name by their own id, by the input field that names them: table and id prefix. */
const OWNED = {
  transactionId: ['credit_transactions', 'txn'],
  reservationId: ['credit_reservations', 'rsv'],
  invitationId: ['invitations', 'inv'],
} as const;

/**
 * A procedure on one row named by its id (a credit transaction, a reservation, an invitation) that
 * needs `permission` in the organization owning the row: the chain finds that organization and
 * authorizes there as orgProcedure does (an unknown id and another tenant's are the same NOT_FOUND),
 * then hands it to the procedure as `ctx.organizationId`. So no service authorizes on its own.
 */
export const ownedProcedure = <K extends keyof typeof OWNED>(idField: K, permission: Permission) => {
  const [table, prefix] = OWNED[idField];
  return principalProcedure
    .input(z.object({ [idField]: zId(prefix) } as Record<K, ReturnType<typeof zId>>))
    .use(async ({ ctx, input, next }) => {
      const [row] = await ctx.em.execute<{ organization_id: string }[]>(
        `select organization_id from ${table} where id = ?`,
        [(input as Record<K, string>)[idField]],
      );
      const principal = await authorizeIn(ctx, row?.organization_id, permission);
      // authorizeIn found the organization (it is NOT_FOUND without one).
      return next({ ctx: { principal, organizationId: row?.organization_id as string } });
    });
};

/**
 * A procedure in the caller's own organization (the users router acts there, per the contract):
 * needs `permission` in it. Whom it acts upon must be looked up within that organization.
 */
export const memberProcedure = (permission: Permission, ...requirements: Requirement[]) =>
  principalProcedure.use(async ({ ctx, next, getRawInput }) => {
    const { organizationId } = ctx.principal;
    if (!organizationId) {
      throw new AppError(
        'BAD_REQUEST',
        'Create or join an organization first, or name one with X-Gatehouse-Organization',
      );
    }
    const principal = await withBindings(ctx, ctx.principal);
    await assertMeets(
      { em: ctx.em, principal },
      { organizationId },
      [permission, ...requirements],
      await getRawInput(),
    );
    return next({ ctx: { principal } });
  });

/**
 * A procedure on one project of an organization (input `organizationId` and `projectId`) that needs
 * `permission` on that project: members by their role and teams, external collaborators by their own
 * bindings (see authorizeOn).
 */
export const projectProcedure = (permission: Permission, ...requirements: Requirement[]) =>
  principalProcedure
    .input(z.object({ organizationId: zId('org'), projectId: zId('prj') }))
    .use(async ({ ctx, input, next, getRawInput }) => {
      const principal = await authorizeOn(ctx, input.organizationId, input.projectId, permission);
      if (requirements.length) {
        await assertMeets({ em: ctx.em, principal }, input, requirements, await getRawInput());
      }
      return next({ ctx: { principal } });
    });

/**
 * A procedure open to whoever acts in the organization, external collaborators included (projects.list:
 * each caller sees what they reach). The service decides what to show.
 */
export const reachProcedure = principalProcedure
  .input(z.object({ organizationId: zId('org') }))
  .use(async ({ ctx, input, next }) => {
    const principal = await principalIn(ctx, input.organizationId, { external: true });
    return next({ ctx: { principal } });
  });

/**
 * The platform router: a platform admin's session or platform key holding `permission`. It acts on
 * any organization and user, whatever the caller's own organization's state.
 */
export const platformProcedure = (permission: PlatformPermission | null) =>
  publicProcedure.use(async ({ ctx, next }) => {
    const principal = assertPlatform(await authenticate(ctx), permission);
    return next({ ctx: { principal } });
  });

/** What every procedure's chain has once `base` ran: this request's runtime and entity manager. */
type BaseContext = Omit<RequestContext, 'runtime'> & { runtime: Runtime; em: EntityManager; mutation: boolean };

/** keys.verify's gate: who may verify which organization's keys (access/verifier.ts). */
const verifierGate = async (ctx: BaseContext) => verifierOf(ctx, await authenticate(ctx));

export const verifierProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: await verifierGate(ctx) }));

/**
 * A mutation behind verifierProcedure, run without tRPC's caller: for a route that serves it on a hot
 * path (REST's POST /api/v1/keys/verify, which a service calls for every request it serves, and which
 * tRPC's per-call machinery made half as fast). The same steps in the same order as the procedure (the
 * input guard, the gate, the input schema, the resolver, the output schema), and the same errors: what
 * a tRPC caller would throw, so the route formats them as every REST route does.
 */
export function verifierMutation<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  resolve: (ctx: BaseContext & Verifying, input: z.output<I>) => Promise<z.input<O>>,
) {
  return async (request: RequestContext, rawInput: unknown): Promise<z.output<O>> => {
    try {
      assertCleanInput(rawInput);
      const runtime = runtimeOf(request.runtime);
      const ctx: BaseContext = { ...request, runtime, em: lazyFork(runtime), mutation: true };
      const verifying = await verifierGate(ctx);
      const parsed = input.safeParse(rawInput);
      if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
      const result = output.safeParse(await resolve({ ...ctx, ...verifying }, parsed.data));
      if (!result.success) {
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: 'Output validation failed',
          cause: result.error,
        });
      }
      return result.data;
    } catch (cause) {
      if (cause instanceof TRPCError) throw cause;
      throw errorOf(cause) ?? new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
    }
  };
}
