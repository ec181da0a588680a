import { auditRouter } from './audit-log/router.js';
import { authProcedures, passkeyLoginRouter, sessionsRouter } from './auth/router.js';
import { balanceProcedure, creditsRouter, transactionsProcedure } from './credits/router.js';
import { domainsRouter } from './domains/router.js';
import { eventsRouter } from './events/router.js';
import { invitationsRouter, organizationInvitationProcedures } from './invitations/router.js';
import { keysRouter } from './keys/router.js';
import { mfaRouter } from './mfa/router.js';
import { organizationProcedures } from './organizations/router.js';
import { permissionsRouter } from './permissions/router.js';
import { platformRouter } from './platform/router.js';
import { projectsRouter } from './projects/router.js';
import { listRolesProcedure, rolesRouter } from './roles/router.js';
// The Runtime every Caller carries is completed by the composition root's declaration; a program that
// loads the router without the root (a type-cost check, a client built from source) needs it too.
import type {} from './runtime.js';
import { exchangeTokenProcedure, serviceAccountsRouter } from './service-accounts/router.js';
import { ssoRouter } from './sso/router.js';
import { teamsRouter } from './teams/router.js';
import { router } from './trpc/procedures.js';
import type { RequestContext } from './trpc/request-context.js';
import { usersRouter } from './users/router.js';
import { webhooksRouter } from './webhooks/router.js';

// The contract's organizations.* includes procedures of other features: assembled here, so no feature
// router imports another's.
const organizationsRouter = router({
  ...organizationProcedures,
  ...organizationInvitationProcedures,
  listRoles: listRolesProcedure,
  exchangeToken: exchangeTokenProcedure,
  // The same procedures as credits.balance and credits.transactions.
  credits: balanceProcedure,
  transactions: transactionsProcedure,
  domains: domainsRouter,
});

export const appRouter = router({
  auth: router({ ...authProcedures, sessions: sessionsRouter, mfa: mfaRouter, passkeys: passkeyLoginRouter }),
  users: usersRouter,
  organizations: organizationsRouter,
  roles: rolesRouter,
  audit: auditRouter,
  invitations: invitationsRouter,
  credits: creditsRouter,
  platform: platformRouter,
  serviceAccounts: serviceAccountsRouter,
  teams: teamsRouter,
  projects: projectsRouter,
  permissions: permissionsRouter,
  keys: keysRouter,
  events: eventsRouter,
  webhooks: webhooksRouter,
  sso: ssoRouter,
});

// A named interface keeps emitted declarations small and lets consumers resolve the router type
// from the .d.ts instead of re-inferring it from source (see bench/type-cost.ts).
type AppRouterType = typeof appRouter;
export interface AppRouter extends AppRouterType {}

// The built-in permission catalogue, for clients that type their own on top of it.
export type { Permission } from './core/permissions.js';
// The router's declaration names its context type; in scope here, it is written as this small
// module's, not as the package index's, which would drag every server type (MikroORM, pg, ioredis)
// into the client's bundled declarations.
export type { RequestContext };
