import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenForInvalidations } from './invalidation.js';

describe('invalidation listener', () => {
  it('reconnects once per failure, backing off, when the database refuses it', async () => {
    // A "database" that hangs up on every connection, as PostgreSQL does when it has too many clients.
    const connections: number[] = [];
    const refusing = createServer((socket) => {
      connections.push(performance.now());
      socket.destroy();
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    const { port } = refusing.address() as { port: number };
    const events: unknown[] = [];
    // How many connections had been made when each event came: read at the event, not after a wait.
    const seenAt: number[] = [];
    let fourth: () => void = () => {};
    const fourEvents = new Promise<void>((resolve) => {
      fourth = resolve;
    });
    const listener = listenForInvalidations(
      `postgres://x@127.0.0.1:${port}/x`,
      (e) => {
        events.push(e);
        seenAt.push(connections.length);
        if (events.length === 4) fourth();
      },
      () => {},
    );
    await fourEvents;
    await listener.stop();
    await new Promise((r) => refusing.close(r));
    // Each failure dropped the whole cache once and scheduled one more try: the k-th event came with the
    // k-th connection. Two reconnects per failure would have doubled the connections at every step.
    expect(seenAt).toEqual([1, 2, 3, 4]);
    expect(events).toEqual(Array(4).fill({ all: true }));
    // …and waited longer each time: 100, 200, 400 ms (timers never fire early; a millisecond of rounding).
    const gaps = connections.slice(1, 4).map((at, i) => at - (connections[i] as number));
    expect(gaps.map((gap, i) => gap >= 100 * 2 ** i - 1)).toEqual([true, true, true]);
  });
});
