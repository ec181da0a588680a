import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenForInvalidations } from './invalidation.js';

describe('invalidation listener', () => {
  it('backs off with one reconnect per failure when the database refuses it', async () => {
    // A "database" that hangs up on every connection, as PostgreSQL does when it has too many clients.
    let attempts = 0;
    const refusing = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    const { port } = refusing.address() as { port: number };
    const events: unknown[] = [];
    const listener = listenForInvalidations(
      `postgres://x@127.0.0.1:${port}/x`,
      (e) => events.push(e),
      () => {},
    );
    await new Promise((r) => setTimeout(r, 1_600));
    await listener.stop();
    await new Promise((r) => refusing.close(r));
    // 0, 100, 300, 700, 1500 ms: five tries. Two reconnects per failure would have made dozens.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(6);
    expect(events.every((e) => JSON.stringify(e) === '{"all":true}')).toBe(true);
  });
});
