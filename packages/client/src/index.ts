export {
  createGatehouseClient,
  createGatehouseTRPCClient,
  type GatehouseClient,
  type GatehouseClientOptions,
} from './client.js';
export {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  GatehouseError,
  type GatehouseErrorCode,
  type GatehouseErrorData,
  type GatehouseErrorKind,
  type GatehouseErrorReason,
  isGatehouseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './errors.js';
export type { Page, PagedList } from './paging.js';
export type {
  AuditResource,
  AuthResource,
  CreditsResource,
  EventsResource,
  InvitationsResource,
  KeysResource,
  OrganizationsResource,
  PermissionsResource,
  PlatformResource,
  RolesResource,
  ServiceAccountsResource,
  UsersResource,
  WebhooksResource,
} from './resources.js';
export type {
  AppRouter,
  Catalogue,
  EventOf,
  GatehouseEvent,
  GatehouseEventType,
  OpenCatalogue,
  Permission,
  PermissionOf,
  RoleKey,
  RouterInputs,
  RouterOutputs,
} from './router.js';
export {
  createTokenVerifier,
  TokenVerificationError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';
export type { GatehouseRequest, GatehouseResponse, OnRequest, RetryOptions } from './transport.js';
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookErrorCode,
  type WebhookJwk,
  WebhookVerificationError,
  type WebhookVerificationKey,
} from './webhooks.js';
