// corepack pnpm --filter @gatehouse/example-microservice start
// with GATEHOUSE_URL, CLIENT_ID, CLIENT_SECRET (a service account's credential), AUDIENCE, PORT.
import { serve } from '@hono/node-server';
import { createOrdersService } from './service.js';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const gatehouseUrl = env('GATEHOUSE_URL', 'http://localhost:3000');
const orders = await createOrdersService({
  gatehouseUrl,
  issuer: env('GATEHOUSE_ISSUER', gatehouseUrl),
  clientId: env('CLIENT_ID'),
  clientSecret: env('CLIENT_SECRET'),
  audience: env('AUDIENCE', 'https://orders.internal'),
});
const port = Number(env('PORT', '4000'));
serve({ fetch: orders.app.fetch, port }, () =>
  console.log(`orders service (${orders.serviceAccountId}) on http://localhost:${port}`),
);
