// The in-process app as every server test serves it, and the socket a request seems to come from.
import type { Runtime } from '@gatehouse/api';
import { guardFetch, internalErrorLog } from '@gatehouse/api/testing';
import { pino } from 'pino';
import { type AppOptions, createApp } from '../src/app.js';

export type App = ReturnType<typeof createApp>;

/** A logger whose error lines (an unhandled error of any surface) fail the test: see internal-errors.ts. */
export const testLogger = () => pino({ level: 'error' }, internalErrorLog);

/** The app as every test serves it: an internal error it answers or logs fails the test. */
export const appFor = (runtime: Runtime, options: Partial<AppOptions> = {}) =>
  guardFetch(createApp({ runtime, logger: testLogger(), ...options }));

/** What @hono/node-server hands the app: the socket the request came from. */
export const fromPeer = (address: string) => ({
  incoming: {
    socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' },
  },
});
