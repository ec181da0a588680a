import { orgProcedure, router } from '../trpc/procedures.js';
import {
  ZCreateWebhookInput,
  ZDeletedWebhook,
  ZDelivery,
  ZDeliveryPage,
  ZListDeliveriesInput,
  ZListWebhooksInput,
  ZNewWebhook,
  ZRedeliverInput,
  ZRotatedSecret,
  ZUpdateWebhookInput,
  ZWebhook,
  ZWebhookPage,
  ZWebhookRefInput,
} from './schema.js';
import * as webhooks from './service.js';

export const webhooksRouter = router({
  create: orgProcedure('webhooks:write')
    .input(ZCreateWebhookInput)
    .output(ZNewWebhook)
    .mutation(({ ctx, input }) => webhooks.createWebhook(ctx, input)),
  list: orgProcedure('webhooks:read')
    .input(ZListWebhooksInput)
    .output(ZWebhookPage)
    .query(({ ctx, input }) => webhooks.listWebhooks(ctx, input)),
  retrieve: orgProcedure('webhooks:read')
    .input(ZWebhookRefInput)
    .output(ZWebhook)
    .query(({ ctx, input }) => webhooks.retrieveWebhook(ctx, input)),
  update: orgProcedure('webhooks:write')
    .input(ZUpdateWebhookInput)
    .output(ZWebhook)
    .mutation(({ ctx, input }) => webhooks.updateWebhook(ctx, input)),
  delete: orgProcedure('webhooks:write')
    .input(ZWebhookRefInput)
    .output(ZDeletedWebhook)
    .mutation(({ ctx, input }) => webhooks.deleteWebhook(ctx, input)),
  rotateSecret: orgProcedure('webhooks:write')
    .input(ZWebhookRefInput)
    .output(ZRotatedSecret)
    .mutation(({ ctx, input }) => webhooks.rotateSecret(ctx, input)),
  deliveries: orgProcedure('webhooks:read')
    .input(ZListDeliveriesInput)
    .output(ZDeliveryPage)
    .query(({ ctx, input }) => webhooks.listDeliveries(ctx, input)),
  test: orgProcedure('webhooks:write')
    .input(ZWebhookRefInput)
    .output(ZDelivery)
    .mutation(({ ctx, input }) => webhooks.testWebhook(ctx, input)),
  redeliver: orgProcedure('webhooks:write')
    .input(ZRedeliverInput)
    .output(ZDelivery)
    .mutation(({ ctx, input }) => webhooks.redeliver(ctx, input)),
});
