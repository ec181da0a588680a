// Tests may send packets to loopback only, even when the code under test is broken. `loopbackOnly()`
// wraps every socket's connect for the test file: the addresses a socket is about to connect to (a
// literal host, or what its lookup answers) are checked before net sees them, and anything but
// 127.0.0.0/8 or ::1 is replaced by an error and recorded, so a guard that fails open is caught by a
// test instead of reaching the network. A socket given no lookup of its own would ask the system
// resolver: refused and recorded too (no DNS query leaves either).
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, vi } from 'vitest';

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);

type Lookup = (
  hostname: string,
  options: { all?: boolean },
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export function loopbackOnly() {
  const violations: string[] = [];
  beforeAll(() => {
    const connect = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      const first = args[0];
      const options = (Array.isArray(first) ? first[0] : first) as Record<string, unknown> | undefined;
      if (options && typeof options === 'object' && typeof options.host === 'string' && !options.path) {
        const host = options.host.replace(/^\[|\]$/g, '');
        if (net.isIP(host)) {
          if (!isLoopback(host)) {
            violations.push(`connect to ${host}`);
            options.host = '127.0.0.1';
            options.port = 9; // discard: refused on loopback, nothing leaves the machine
          }
        } else {
          const own = options.lookup as Lookup | undefined;
          options.lookup = ((hostname, lookupOptions, callback) => {
            if (!own) {
              violations.push(`system lookup of ${hostname}`);
              callback(new Error(`loopbackOnly: no lookup of the system resolver (${hostname})`), '');
              return;
            }
            own(hostname, lookupOptions, (error, address, family) => {
              if (error) return callback(error, address, family);
              const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
              const outside = list.filter((a) => !isLoopback(a));
              if (outside.length > 0) {
                violations.push(`connect to ${outside.join(', ')} (${hostname})`);
                return callback(new Error(`loopbackOnly: ${hostname} → ${outside.join(', ')} refused by the test`), '');
              }
              callback(null, address, family);
            });
          }) satisfies Lookup;
        }
      }
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  return violations;
}
