export { type MemberSearch, searchMembersQuery } from './accounts/search.js';
// How a key is made (its prefix follows from its secret): for seeding keys outside the service (benchmarks).
export { generateKey } from './api-keys/format.js';
export {
  type BootstrapInput,
  type BootstrapKeyResult,
  type BootstrapResult,
  bootstrapIfEmpty,
  bootstrapWithKey,
  needsBootstrap,
} from './bootstrap/service.js';
export { AppError, type Reason, reasons } from './core/errors.js';
export { allPermissions, builtInRoles, type Permission, statements } from './core/permissions.js';
export type { Principal } from './core/principal.js';
export type { Runtime } from './infra/caller.js';
export { verifyKeyDirect } from './keys/router.js';
export { devMailPage } from './mail/templates.js';
export {
  createLogTransport,
  createMailTransport,
  createSmtpTransport,
  type LogTransport,
  type MailMessage,
  type MailTransport,
} from './mail/transport.js';
export { registerFromFile } from './permissions/catalogue.js';
export type { QueueOptions, WebhookRequest, WebhookSender } from './queue/worker.js';
export { type AppRouter, appRouter } from './root.js';
export { createRuntime, type OwnedRuntime, type RuntimeOptions } from './runtime.js';
export { type BrowserOptions, cookieNameFor } from './sessions/cookie.js';
export { handleSamlCallback, handleSamlMetadata, handleSsoCallback, handleSsoStart } from './sso/http.js';
export {
  authorizationServerMetadata,
  handleTokenRequest,
  jwksResponse,
} from './tokens/http.js';
export { type Credential, createContext, type RequestContext } from './trpc/context.js';
export { createCallerFactory } from './trpc/procedures.js';
