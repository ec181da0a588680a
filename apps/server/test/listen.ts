// The app served on a loopback port in this process, for clients that must call it over real HTTP
// from another process (an installed package, an example script) or another environment (happy-dom).

import type { Runtime } from '@gatehouse/api';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createApp } from '../src/app.js';

export async function listen(runtime: Runtime): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({ runtime, logger: pino({ level: 'silent' }) });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
