// Credits: reading the balance and consuming it (members), granting and refunding (the platform only).
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueKey } from '../testing/matrix.js';

const entries: Entries = {
  'organizations.credits': org('credits:read', (c, f) => c.organizations.credits({ organizationId: f.organizationId })),
  'organizations.transactions': org('credits:read', (c, f) =>
    c.organizations.transactions({ organizationId: f.organizationId }),
  ),
  'credits.balance': org('credits:read', (c, f) => c.credits.balance({ organizationId: f.organizationId })),
  'credits.transactions': org('credits:read', (c, f) => c.credits.transactions({ organizationId: f.organizationId })),
  'credits.grant': {
    kind: 'platformOnly',
    permission: 'credits:grant',
    call: (c, f) =>
      c.credits.grant({ organizationId: f.organizationId, amount: 1, type: 'grant', idempotencyKey: uniqueKey() }),
  },
  'credits.consume': org('credits:consume', (c, f) =>
    c.credits.consume({ organizationId: f.organizationId, amount: 1, reason: 'matrix', idempotencyKey: uniqueKey() }),
  ),
  'credits.refund': {
    kind: 'platformOnly',
    permission: 'credits:refund',
    call: async (c, f) => c.credits.refund({ transactionId: await f.usage(), idempotencyKey: uniqueKey() }),
  },
  'credits.reserve': org('credits:consume', (c, f) =>
    c.credits.reserve({ organizationId: f.organizationId, amount: 1, ttlSeconds: 60, idempotencyKey: uniqueKey() }),
  ),
  'credits.capture': org('credits:consume', async (c, f) =>
    c.credits.capture({ reservationId: await f.reservation(), amount: 1 }),
  ),
  'credits.release': org('credits:consume', async (c, f) =>
    c.credits.release({ reservationId: await f.reservation() }),
  ),
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'credits.refund': (c, _, x) => c.credits.refund({ transactionId: x.usageId, idempotencyKey: uniqueKey() }),
  'credits.capture': (c, _, x) => c.credits.capture({ reservationId: x.reservationId, amount: 1 }),
  'credits.release': (c, _, x) => c.credits.release({ reservationId: x.reservationId }),
};

describeAuthorization('credits', { entries, crossTenant: { calls: crossTenantCalls } });
