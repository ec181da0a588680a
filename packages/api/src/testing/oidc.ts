// A stand-in IdP for the tests that need only discovery and a JWKS (connections, the matrix, the surface
// table): one HTTP server on 127.0.0.1 whose every path prefix is an issuer of its own, and whose
// documents a test may bend (a wrong issuer, no S256, a missing endpoint). The full sign-in runs against
// a real OIDC provider (apps/server/test/sso-http.test.ts, oidc-provider).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubIssuer {
  /** A new issuer URL on this server; `bend` changes its discovery document (or replaces it with text). */
  issuer(bend?: (document: Record<string, unknown>) => Record<string, unknown> | string): string;
  stop(): Promise<void>;
}

export async function startStubIssuer(): Promise<StubIssuer> {
  const bends = new Map<string, (document: Record<string, unknown>) => Record<string, unknown> | string>();
  let count = 0;
  let base = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    const [, name, ...rest] = url.pathname.split('/');
    const issuer = `${base}/${name}`;
    const path = `/${rest.join('/')}`;
    if (path === '/.well-known/openid-configuration' && name && bends.has(name)) {
      const document = {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/me`,
        scopes_supported: ['openid', 'email', 'profile'],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      };
      const bent = bends.get(name)?.(document) ?? document;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(typeof bent === 'string' ? bent : JSON.stringify(bent));
      return;
    }
    if (path === '/jwks' && name && bends.has(name)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never what keeps a test process alive.
  server.unref();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer(bend = (document) => document) {
      const name = `idp${++count}`;
      bends.set(name, bend);
      return `${base}/${name}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: Promise<StubIssuer> | undefined;
/** One stub issuer server per test file (closed when the process ends; it holds no state worth keeping). */
export function sharedStubIssuer(): Promise<StubIssuer> {
  shared ??= startStubIssuer();
  return shared;
}
