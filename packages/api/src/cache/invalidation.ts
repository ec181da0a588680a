import pg from 'pg';
import type { Invalidation } from '../infra/caller.js';
import { INVALIDATION_CHANNEL } from '../infra/transaction.js';

/**
 * Listens for invalidations on a dedicated connection. When the connection drops, notifications may
 * have been missed, so the whole cache is dropped and listening resumes with backoff.
 */
export function listenForInvalidations(
  url: string,
  onEvent: (event: Invalidation) => void,
  log: (message: string, error?: unknown) => void,
): { ready: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = 100;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    // A failed connect also ends the client: whichever comes first schedules the one reconnect, or
    // every failure would double the attempts (and a full server would be flooded with connections).
    let reconnecting = false;
    const reconnect = (error?: unknown) => {
      if (stopped || reconnecting) return;
      reconnecting = true;
      onEvent({ all: true });
      if (error) log('invalidation listener cannot connect; retrying', error);
      const wait = delay;
      delay = Math.min(delay * 2, 5_000);
      setTimeout(() => void connect(), wait).unref();
    };
    c.on('notification', (msg) => {
      try {
        onEvent(JSON.parse(msg.payload ?? '{}') as Invalidation);
      } catch {
        onEvent({ all: true });
      }
    });
    c.on('error', (error) => log('invalidation listener lost its connection', error));
    c.on('end', () => reconnect());
    try {
      await c.connect();
      await c.query(`listen ${INVALIDATION_CHANNEL}`);
      delay = 100;
      markReady();
    } catch (error) {
      reconnect(error);
      await c.end().catch(() => {});
    }
  };
  void connect();

  return {
    ready,
    async stop() {
      stopped = true;
      await client?.end().catch(() => {});
    },
  };
}
