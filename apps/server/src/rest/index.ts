import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import { mountRest, problemResponse, type RestOptions } from './handler.js';
import { openApiDocument } from './openapi.js';
import { routes } from './routes.js';

type Env = { Variables: { requestId: string; ip: string | null } };

// The reference page's script, served by the app itself: /docs works offline and under a CSP that
// loads nothing from elsewhere.
const SCALAR_SCRIPT = join(
  dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')),
  'browser',
  'standalone.js',
);
let scalarScript: Promise<Buffer> | undefined;

/** /api/v1 (the route table), /api/v1/openapi.json and the /docs reference. */
export function mountRestApi(app: Hono<Env>, options: RestOptions) {
  let document: string | undefined;
  app.get('/api/v1/openapi.json', (c) => {
    document ??= JSON.stringify(openApiDocument(routes));
    return c.body(document, 200, { 'content-type': 'application/json' });
  });

  mountRest(app, routes, options);
  // A path of the table with another method is 405 (and says which methods it has); anything else 404.
  const patterns = routes.map((r) => ({
    method: r.method,
    pattern: new RegExp(`^/api/v1${r.path.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  app.all('/api/v1/*', (c) => {
    const allowed = [...new Set(patterns.filter((p) => p.pattern.test(c.req.path)).map((p) => p.method))];
    if (allowed.length > 0) {
      return problemResponse(
        {
          status: 405,
          detail: `Use ${allowed.join(', ')}`,
          code: 'METHOD_NOT_SUPPORTED',
          reason: 'METHOD_NOT_SUPPORTED',
        },
        { allow: allowed.join(', ') },
      );
    }
    return problemResponse({ status: 404, detail: 'No such endpoint', code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });

  app.get('/docs/scalar.js', async (c) => {
    scalarScript ??= readFile(SCALAR_SCRIPT);
    return c.body(new Uint8Array(await scalarScript), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    });
  });
  app.get('/docs', async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    // Everything from this origin; the page's inline configuration by nonce; styles inline (Scalar's).
    c.header(
      'content-security-policy',
      `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    );
    return Scalar({
      url: '/api/v1/openapi.json',
      cdn: '/docs/scalar.js',
      pageTitle: 'Gatehouse API reference',
      nonce,
      // Nothing that reaches a third party: system fonts, no hosted AI agent or MCP integration.
      withDefaultFonts: false,
      agent: { disabled: true },
      mcp: { disabled: true },
    })(c as never, next);
  });
}
