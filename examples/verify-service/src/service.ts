// A service of the integrator's ("workflows") that takes its own callers' Gatehouse API keys and asks
// Gatehouse about each one with keys.verify: valid, whose, and holding what the route needs.
import { createGatehouseClient, type GatehouseClient } from '@gatehouse/client';
import { Hono } from 'hono';

export interface VerifyServiceOptions {
  /** Where Gatehouse answers (its /trpc). */
  gatehouseUrl: string;
  /** This service's own credential: an API key whose holder has apiKeys:verify (an owner or admin). */
  apiKey: string;
  /**
   * What a caller's key must hold: a permission query over the permissions the operator registered for
   * this service (default `workflows:read and (workflows:execute or executions:read)`).
   */
  permissions?: string;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
}

/** keys.verify's codes → this service's answer to its caller. */
export const statusOf = {
  VALID: 200,
  NOT_FOUND: 401,
  EXPIRED: 401,
  REVOKED: 401,
  DISABLED: 401,
  INSUFFICIENT_PERMISSIONS: 403,
  RATE_LIMITED: 429,
  USAGE_EXCEEDED: 429,
} as const satisfies Record<Awaited<ReturnType<GatehouseClient['keys']['verify']>>['code'], number>;

export function createVerifyService(options: VerifyServiceOptions) {
  const permissions = options.permissions ?? 'workflows:read and (workflows:execute or executions:read)';
  const gh = createGatehouseClient({
    url: options.gatehouseUrl,
    apiKey: options.apiKey,
    // keys.verify is a mutation: the client does not retry it (it spends the key's budget).
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Callers send `Authorization: Bearer <their Gatehouse API key>`.
  app.get('/workflows', async (c) => {
    const key = c.req.header('authorization')?.match(/^Bearer (\S+)$/i)?.[1];
    if (!key) return c.json({ error: 'missing_key' }, 401);
    // An invalid key is an answer (valid: false with a code), never an error.
    const answer = await gh.keys.verify({ key, permissions });
    if (!answer.valid) return c.json({ error: answer.code }, statusOf[answer.code]);
    return c.json({
      caller: answer.ownerId,
      organization: answer.organizationId,
      key: answer.keyId,
      workflows: [{ id: 'wf_1', name: 'nightly-import' }],
    });
  });
  return { app, gatehouse: gh };
}
