// The console (/console) and the hosted pages its mails link to (/verify-email, /reset-password,
// /invitations/accept, /sign-in, /sign-up): one React app built by apps/console into its dist/, served
// from memory. Each page path answers the app's index.html; the app reads the path.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Env, Hono } from 'hono';

export const hostedPages = ['/sign-in', '/sign-up', '/verify-email', '/reset-password', '/invitations/accept'];

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// The app's own files and nothing else: no inline script or style, no other origin.
const pageSecurity =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** apps/console/dist, where the workspace has it (undefined if the console package is absent). */
export function defaultConsoleDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@gatehouse/console/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

interface Built {
  index: string;
  assets: Map<string, { body: Uint8Array; type: string }>;
}

function load(dir: string): Built | undefined {
  let index: string;
  try {
    index = readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    return undefined;
  }
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  const assetDir = join(dir, 'assets');
  for (const name of readdirSync(assetDir)) {
    assets.set(name, {
      body: readFileSync(join(assetDir, name)),
      type: types[extname(name)] ?? 'application/octet-stream',
    });
  }
  return { index, assets };
}

/** Mounts the pages. Without a build the page paths say how to make one (503), rather than a bare 404. */
export function mountConsole<E extends Env>(app: Hono<E>, dir: string): void {
  const built = load(dir);
  const page = () =>
    built
      ? new Response(built.index, {
          headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': pageSecurity },
        })
      : new Response('The console is not built: run `corepack pnpm --filter @gatehouse/console build`.\n', {
          status: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });

  app.get('/console/assets/:name', (c) => {
    const asset = built?.assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    // Named by their content's hash: a new build has new names, so these never change.
    return new Response(asset.body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' },
    });
  });
  // After the assets: Hono answers with the first route that matches.
  app.get('/', (c) => c.redirect('/console'));
  for (const path of ['/console', '/console/*', ...hostedPages]) app.get(path, page);
}
