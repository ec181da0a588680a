import type { EntitySchema } from '@mikro-orm/core';
import { ApiKey, ApiKeyWindow } from './api-key.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { CreditAccount, CreditReservation, CreditTransaction } from './credit.entity.js';
import { DeploymentSetting } from './deployment-setting.entity.js';
import { Domain } from './domain.entity.js';
import { OrganizationEvent, OrganizationEventCounter, WebhookDelivery, WebhookEndpoint } from './event.entity.js';
import { Invitation } from './invitation.entity.js';
import { MemberSearchTerm, Membership } from './membership.entity.js';
import { MfaChallenge, MfaPasskey, MfaRecoveryCode, MfaTotp, WebauthnChallenge } from './mfa.entity.js';
import { Organization } from './organization.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { PasswordResetToken } from './password-reset-token.entity.js';
import { Project } from './project.entity.js';
import { RateLimit } from './rate-limit.entity.js';
import { RegisteredPermission } from './registered-permission.entity.js';
import { Role } from './role.entity.js';
import { ServiceAccount, ServiceAccountCredential, SigningKey } from './service-account.entity.js';
import { Session } from './session.entity.js';
import { SsoCode, SsoConnection, SsoIdentity, SsoLogin } from './sso.entity.js';
import { RoleBinding, Team, TeamMember } from './team.entity.js';
import { User } from './user.entity.js';

export * from './api-key.entity.js';
export * from './audit-event.entity.js';
export * from './credit.entity.js';
export * from './deployment-setting.entity.js';
export * from './domain.entity.js';
export * from './event.entity.js';
export * from './invitation.entity.js';
export * from './membership.entity.js';
export * from './mfa.entity.js';
export * from './organization.entity.js';
export * from './outbox-message.entity.js';
export * from './password-reset-token.entity.js';
export * from './project.entity.js';
export * from './rate-limit.entity.js';
export * from './registered-permission.entity.js';
export * from './role.entity.js';
export * from './service-account.entity.js';
export * from './session.entity.js';
export * from './sso.entity.js';
export * from './team.entity.js';
export * from './user.entity.js';

// Annotated: the inferred array type of every entity is too large for the compiler to emit.
// biome-ignore lint/suspicious/noExplicitAny: entities of every shape
export const entities: EntitySchema<any, any>[] = [
  User,
  Organization,
  Membership,
  MemberSearchTerm,
  ApiKey,
  ApiKeyWindow,
  Session,
  AuditEvent,
  PasswordResetToken,
  RateLimit,
  DeploymentSetting,
  Role,
  OutboxMessage,
  Invitation,
  CreditAccount,
  CreditTransaction,
  CreditReservation,
  ServiceAccount,
  ServiceAccountCredential,
  SigningKey,
  Team,
  TeamMember,
  Project,
  RoleBinding,
  RegisteredPermission,
  Domain,
  OrganizationEvent,
  OrganizationEventCounter,
  WebhookEndpoint,
  WebhookDelivery,
  SsoConnection,
  SsoLogin,
  SsoIdentity,
  SsoCode,
  MfaTotp,
  MfaRecoveryCode,
  MfaChallenge,
  MfaPasskey,
  WebauthnChallenge,
];
