// A tiny internal service ("orders") that is a first-class Gatehouse user: it gets an access token
// with its client credentials, calls Gatehouse with it, and verifies the tokens other services
// send it offline, against Gatehouse's JWKS, without calling Gatehouse per request.
import { createGatehouseClient, createTokenVerifier, TokenVerificationError } from '@gatehouse/client';
import { Hono } from 'hono';

export interface OrdersServiceOptions {
  /** Where Gatehouse answers (its /oauth/token and /trpc). */
  gatehouseUrl: string;
  /** Gatehouse's GATEHOUSE_PUBLIC_URL: the `iss` of its tokens. Default: gatehouseUrl. */
  issuer?: string;
  /** This service's own client credentials (a service account of its organization). */
  clientId: string;
  clientSecret: string;
  /** The `aud` this service accepts from its callers. */
  audience: string;
  /** Only this organization's service accounts may call (default: this service's own organization). */
  organizationId?: string;
  fetch?: typeof fetch;
}

/** Client credentials → an access token, reused until a minute before it expires. */
export function tokenSource(
  options: Pick<OrdersServiceOptions, 'gatehouseUrl' | 'clientId' | 'clientSecret' | 'fetch'>,
) {
  let cached: { token: string; refreshAt: number } | undefined;
  return async (params: { scope?: string; audience?: string } = {}): Promise<string> => {
    const reusable = !params.scope && !params.audience;
    if (reusable && cached && cached.refreshAt > Date.now()) return cached.token;
    const response = await (options.fetch ?? fetch)(`${options.gatehouseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || !body.access_token) throw new Error(`token request refused: ${body.error ?? response.status}`);
    if (reusable) cached = { token: body.access_token, refreshAt: Date.now() + ((body.expires_in ?? 60) - 60) * 1000 };
    return body.access_token;
  };
}

export async function createOrdersService(options: OrdersServiceOptions) {
  const token = tokenSource(options);
  // Calling Gatehouse with our own token: who are we, and in which organization?
  const gatehouse = createGatehouseClient({
    url: options.gatehouseUrl,
    accessToken: await token(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const me = await gatehouse.auth.whoami();
  const organizationId = options.organizationId ?? me.organization?.id;
  if (!organizationId) throw new Error('the service account belongs to no organization');

  const verifier = createTokenVerifier({
    issuer: options.issuer ?? options.gatehouseUrl,
    audience: options.audience,
    organizationId,
  });

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, serviceAccount: me.userId }));
  // Other services call with `Authorization: Bearer <a token Gatehouse issued for our audience>`.
  app.get('/orders', async (c) => {
    const presented = c.req.header('authorization')?.match(/^Bearer (\S+)$/i)?.[1];
    if (!presented) return c.json({ error: 'missing_token' }, 401);
    try {
      const claims = await verifier.verify(presented, { requiredScopes: ['projects:read'] });
      return c.json({ caller: claims.sub, organization: claims.org, orders: [{ id: 'ord_1', total: 42 }] });
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      const status = error.code === 'TOKEN_SCOPE_INSUFFICIENT' ? 403 : error.code === 'JWKS_UNAVAILABLE' ? 503 : 401;
      return c.json({ error: error.code }, status);
    }
  });
  return { app, token, serviceAccountId: me.userId, organizationId };
}
