// Webhook endpoints of an organization.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { orm } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { seedDelivery, seedWebhook } from '../testing/matrix.js';

const hook = (organizationId: string) => seedWebhook(orm(), organizationId);

const entries: Entries = {
  'webhooks.create': org('webhooks:write', (c, f) =>
    c.webhooks.create({
      organizationId: f.organizationId,
      url: 'https://hooks.example.com/in',
      events: ['organization.member_added'],
    }),
  ),
  'webhooks.list': org('webhooks:read', (c, f) => c.webhooks.list({ organizationId: f.organizationId })),
  'webhooks.retrieve': org('webhooks:read', async (c, f) =>
    c.webhooks.retrieve({ organizationId: f.organizationId, webhookId: await hook(f.organizationId) }),
  ),
  'webhooks.update': org('webhooks:write', async (c, f) =>
    c.webhooks.update({ organizationId: f.organizationId, webhookId: await hook(f.organizationId), enabled: false }),
  ),
  'webhooks.delete': org('webhooks:write', async (c, f) =>
    c.webhooks.delete({ organizationId: f.organizationId, webhookId: await hook(f.organizationId) }),
  ),
  'webhooks.rotateSecret': org('webhooks:write', async (c, f) =>
    c.webhooks.rotateSecret({ organizationId: f.organizationId, webhookId: await hook(f.organizationId) }),
  ),
  'webhooks.deliveries': org('webhooks:read', async (c, f) =>
    c.webhooks.deliveries({ organizationId: f.organizationId, webhookId: await hook(f.organizationId) }),
  ),
  'webhooks.test': org('webhooks:write', async (c, f) =>
    c.webhooks.test({ organizationId: f.organizationId, webhookId: await hook(f.organizationId) }),
  ),
  'webhooks.redeliver': org('webhooks:write', async (c, f) =>
    c.webhooks.redeliver({ organizationId: f.organizationId, deliveryId: await seedDelivery(orm(), f.organizationId) }),
  ),
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'webhooks.retrieve': (c, own, x) => c.webhooks.retrieve({ organizationId: own, webhookId: x.webhookId }),
  'webhooks.update': (c, own, x) =>
    c.webhooks.update({ organizationId: own, webhookId: x.webhookId, url: 'https://evil.example.com/' }),
  'webhooks.delete': (c, own, x) => c.webhooks.delete({ organizationId: own, webhookId: x.webhookId }),
  'webhooks.rotateSecret': (c, own, x) => c.webhooks.rotateSecret({ organizationId: own, webhookId: x.webhookId }),
  'webhooks.deliveries': (c, own, x) => c.webhooks.deliveries({ organizationId: own, webhookId: x.webhookId }),
  'webhooks.test': (c, own, x) => c.webhooks.test({ organizationId: own, webhookId: x.webhookId }),
  'webhooks.redeliver': (c, own, x) => c.webhooks.redeliver({ organizationId: own, deliveryId: x.deliveryId }),
};

describeAuthorization('webhooks', { entries, crossTenant: { calls: crossTenantCalls } });
