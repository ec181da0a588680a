// corepack pnpm --filter @gatehouse/example-verify-service start
// with GATEHOUSE_URL, GATEHOUSE_API_KEY (a key of an owner or admin: it holds apiKeys:verify), PERMISSIONS, PORT.
import { serve } from '@hono/node-server';
import { createVerifyService } from './service.js';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const service = createVerifyService({
  gatehouseUrl: env('GATEHOUSE_URL', 'http://localhost:3000'),
  apiKey: env('GATEHOUSE_API_KEY'),
  permissions: env('PERMISSIONS', 'workflows:read and (workflows:execute or executions:read)'),
});
const port = Number(env('PORT', '4001'));
serve({ fetch: service.app.fetch, port }, () => console.log(`workflows service on http://localhost:${port}`));
