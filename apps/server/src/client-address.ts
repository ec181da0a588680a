import { BlockList, isIP } from 'node:net';

/**
 * Which proxies to believe about the client's address: none (the socket's peer is the client), a
 * number of proxy hops in front of the server, or the proxies' own addresses (exact or CIDR).
 */
export type TrustProxy = false | { hops: number } | { addresses: string[] };

/** Parses GATEHOUSE_TRUST_PROXY: `false`, `true` (one hop), a hop count, or a comma list of addresses. */
export function parseTrustProxy(value: string): TrustProxy | Error {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return { hops: 1 };
  if (/^\d+$/.test(v)) return { hops: Number(v) };
  const addresses = v.split(',').map((a) => a.trim());
  const bad = addresses.find((a) => !isIP(a.split('/')[0] ?? '') || (a.includes('/') && !/\/\d{1,3}$/.test(a)));
  return bad === undefined ? { addresses } : new Error(`"${bad}" is not an IP address or CIDR range`);
}

// ::ffff:10.0.0.1 is 10.0.0.1 arriving on an IPv6 socket.
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

function trustedSet(addresses: string[]): BlockList {
  const list = new BlockList();
  for (const a of addresses) {
    const [ip = '', bits] = a.split('/');
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}

/**
 * The client's address: the rightmost hop of X-Forwarded-For that is not a trusted proxy. Each
 * proxy appends the address it received the request from, so everything left of the last trusted
 * hop was written by the client and proves nothing (the leftmost entry is whatever it likes).
 */
export function clientAddressResolver(trust: TrustProxy) {
  const trusted = trust && 'addresses' in trust ? trustedSet(trust.addresses) : undefined;
  const isTrusted = (a: string) => trusted?.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4') ?? false;
  return (peer: string | null, forwardedFor: string | undefined): string | null => {
    const socket = peer ? plain(peer) : null;
    if (!trust || !socket || !forwardedFor) return socket;
    const hops = forwardedFor.split(',').map((h) => plain(h.trim()));
    const chain = [...hops, socket];
    let i = chain.length - 1;
    if ('hops' in trust) i = Math.max(0, i - trust.hops);
    else while (i > 0 && isTrusted(chain[i] as string)) i--;
    const address = chain[i] as string;
    // A trusted proxy writes addresses; anything else is the client's text, not an address.
    return isIP(address) ? address : socket;
  };
}
