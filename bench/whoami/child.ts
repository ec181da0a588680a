// What both child servers share: listen on 127.0.0.1 (a free port), announce `listening <port>` on
// stdout for run.ts, and on SIGTERM/SIGINT (or the parent going away) stop cleanly: wait for the
// requests still in flight, release the database, exit 0 (which is when --cpu-prof writes its file).
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

type Fetch = Parameters<typeof serve>[0]['fetch'];

export function serveUntilStopped(fetch: Fetch, release: () => Promise<void>): void {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = serve(
    {
      // Counted so that stopping never closes the pool under a handler (autocannon leaves some behind).
      fetch: async (request, env) => {
        inFlight++;
        try {
          return await fetch(request, env);
        } finally {
          if (--inFlight === 0) drained?.();
        }
      },
      port: 0,
      hostname: '127.0.0.1',
    },
    (info) => process.stdout.write(`listening ${info.port}\n`),
  ) as Server;

  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // keep-alive sockets would hold close() open
    await closed;
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, 5_000).unref();
      });
    }
    await release();
    process.exit(0);
  }
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  // run.ts reads the server's CPU time around the measured run.
  process.on('message', (message) => {
    if (message === 'cpu-usage') process.send?.(process.cpuUsage());
  });
}
