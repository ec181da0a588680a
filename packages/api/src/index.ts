export { type MemberSearch, searchMembersQuery } from './accounts/search.js';
export { type BootstrapInput, type BootstrapResult, bootstrapIfEmpty, bootstrapWithKey } from './bootstrap/service.js';
export { type Credential, createContext, type RequestContext } from './context.js';
export { AppError, type Reason, reasons } from './errors.js';
export { OutboxWorker, queueMail } from './mail/outbox.js';
export { devMailPage } from './mail/templates.js';
export {
  createLogTransport,
  createMailTransport,
  createSmtpTransport,
  type LogTransport,
  type MailMessage,
  type MailTransport,
} from './mail/transport.js';
export { allPermissions, builtInRoles, type Permission, statements } from './permissions.js';
export type { Principal } from './principal.js';
export { type AppRouter, appRouter } from './root.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export {
  authorizationServerMetadata,
  handleTokenRequest,
  jwksResponse,
} from './tokens/http.js';
export { createCallerFactory } from './trpc.js';
