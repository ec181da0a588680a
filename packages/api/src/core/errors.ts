import type { TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODE_NUMBER } from '@trpc/server';

/**
 * Stable, machine-readable reasons (`data.reason` on the wire) and the one place that maps each to
 * a tRPC code. Services throw only AppError; the procedure chain turns it into a TRPCError.
 */
export const reasons = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  KEY_EXHAUSTED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID_CURSOR: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  EMAIL_TAKEN: 'CONFLICT',
  LAST_OWNER: 'CONFLICT',
  HAS_DEPENDENCIES: 'CONFLICT',
  ALREADY_MEMBER: 'CONFLICT',
  INVITATION_ACCEPTED: 'CONFLICT',
  INVITATION_CANCELLED: 'CONFLICT',
  INVITATION_EXPIRED: 'CONFLICT',
  INVITATION_EMAIL_MISMATCH: 'FORBIDDEN',
  OUTRANKED: 'FORBIDDEN',
  ACCOUNT_NOT_MANAGED: 'FORBIDDEN',
  NOT_KEY_HOLDER: 'FORBIDDEN',
  ORGANIZATION_SUSPENDED: 'FORBIDDEN',
  MEMBERSHIP_DEACTIVATED: 'FORBIDDEN',
  PLATFORM_ONLY: 'FORBIDDEN',
  USER_ONLY: 'FORBIDDEN',
  SESSION_ONLY: 'FORBIDDEN',
  CSRF: 'FORBIDDEN',
  MFA_REQUIRED: 'FORBIDDEN',
  MFA_STEP_UP_REQUIRED: 'FORBIDDEN',
  MFA_CODE_INVALID: 'FORBIDDEN',
  MFA_NOT_ENABLED: 'CONFLICT',
  MFA_ALREADY_ENABLED: 'CONFLICT',
  MFA_CHALLENGE_INVALID: 'UNAUTHORIZED',
  INVALID_SCOPE: 'FORBIDDEN',
  INVITER_LACKS_AUTHORITY: 'CONFLICT',
  EMAIL_DOMAIN_NOT_ALLOWED: 'FORBIDDEN',
  EMAIL_NOT_VERIFIED: 'FORBIDDEN',
  INSUFFICIENT_CREDITS: 'PRECONDITION_FAILED',
  // organizations.domains.verify: the TXT record is not (yet) there; or another organization holds the domain.
  DOMAIN_NOT_VERIFIED: 'BAD_REQUEST',
  DOMAIN_TAKEN: 'CONFLICT',
  // SSO: the IdP's email is not verified or not on a verified domain; an existing account the organization
  // does not manage; a password where the organization requires its SSO.
  SSO_EMAIL_NOT_ALLOWED: 'FORBIDDEN',
  SSO_ACCOUNT_NOT_LINKED: 'FORBIDDEN',
  SSO_REQUIRED: 'FORBIDDEN',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  ALREADY_REFUNDED: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  // No job queue runs (the embedded database): webhook deliveries cannot be queued.
  DELIVERIES_DISABLED: 'PRECONDITION_FAILED',
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;
export type Reason = keyof typeof reasons;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly reason: Reason,
    message: string,
    /** Extra machine-readable detail for the client, e.g. the blockers of a refused delete. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get code(): TRPC_ERROR_CODE_KEY {
    return reasons[this.reason];
  }
}

/** What every error looks like on the wire. Named, so emitted declarations stay small. */
export interface ErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: {
    code: TRPC_ERROR_CODE_KEY;
    httpStatus: number;
    path?: string;
    /** Machine-readable: one of the AppError reasons, else the tRPC code. */
    reason: Reason | TRPC_ERROR_CODE_KEY;
    /** Validation failures by field (dotted path; `_` for the input as a whole). */
    fieldErrors?: Record<string, string[]>;
    details?: Record<string, unknown>;
  };
}
