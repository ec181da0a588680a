// The app served on a loopback port in this process, for clients that must call it over real HTTP
// from another process (an installed package, an example script) or another environment (happy-dom).

import { useTestRuntime } from '@gatehouse/api/testing';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll } from 'vitest';
import { appFor } from './app.js';

/** An app served on a loopback port: its URL, and how to close it. */
export function serveApp(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

/** useTestRuntime, with the app listening at `env.url` for the file's tests. */
export function useServedRuntime() {
  const env = Object.assign(useTestRuntime(), { url: '' });
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const served = await serveApp(appFor(env.runtime));
    env.url = served.url;
    close = served.close;
  });
  // Registered after useTestRuntime's, so it runs before the runtime stops.
  afterAll(async () => {
    await close?.();
  });
  return env;
}
