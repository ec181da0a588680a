import { ApiKey } from './api-key.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { Membership } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

export * from './api-key.entity.js';
export * from './audit-event.entity.js';
export * from './membership.entity.js';
export * from './organization.entity.js';
export * from './session.entity.js';
export * from './user.entity.js';

export const entities = [User, Organization, Membership, ApiKey, Session, AuditEvent];
