import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackOnly } from '../testing/loopback-only.js';
import { createGuardedFetch, type GuardedFetch, GuardedFetchError, refusedAddress } from './guarded-fetch.js';

// Every socket of this file may reach loopback only, whatever the fetcher does (see loopback-only.ts);
// each test ends by checking that nothing tried to go further.
const violations = loopbackOnly();

/** Names resolve through this table only: no query reaches a real resolver. */
const names: Record<string, string[]> = {
  'idp.test': ['127.0.0.1'],
  'internal.test': ['10.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'mixed.test': ['127.0.0.1', '10.0.0.2'],
  'v6.test': ['::1'],
  'mapped.test': ['::ffff:10.0.0.1'],
};
const resolve = async (hostname: string): Promise<LookupAddress[]> => {
  const list = names[hostname];
  if (!list) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ok') return res.end(JSON.stringify({ issuer: 'http://idp.test' }));
    if (url.pathname === '/big') return res.end(Buffer.alloc(100 * 1024, 'a'));
    if (url.pathname === '/big-chunked') {
      // No content-length: the body is cut off as it arrives.
      res.write(Buffer.alloc(40 * 1024, 'a'));
      res.write(Buffer.alloc(40 * 1024, 'a'));
      return res.end();
    }
    if (url.pathname === '/slow') {
      res.writeHead(200);
      res.write('{"partial":');
      return; // never ends
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      return res.end();
    }
    if (url.pathname === '/echo') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.end(JSON.stringify({ method: req.method, body })));
      return;
    }
    res.statusCode = 500;
    res.end('no');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

const guarded = createGuardedFetch({ resolve });
const loopbackAllowed = createGuardedFetch({ resolve, allowLoopback: true });

async function reasonOf(fetch: GuardedFetch, url: string, options?: Parameters<GuardedFetch>[1]) {
  try {
    await fetch(url, options);
    return 'fetched';
  } catch (error) {
    if (error instanceof GuardedFetchError) return error.reason;
    throw error;
  }
}

describe('guarded fetch: addresses', () => {
  it.each([
    'http://10.0.0.1/',
    'http://10.255.255.255:8080/x',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://127.0.0.1/',
    'http://127.1.2.3/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://0.0.0.0/',
    'http://169.254.169.254/latest/meta-data/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[::1]/',
    'http://[::]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[ff02::1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://[64:ff9b::a00:1]/',
    'https://10.0.0.1/',
  ])('refuses the literal address of %s before connecting', async (url) => {
    expect(await reasonOf(guarded, url)).toBe('PRIVATE_ADDRESS');
    expect(violations).toEqual([]);
  });

  it('refuses names that resolve to private, link-local or mapped addresses, before any socket connects', async () => {
    for (const name of ['internal.test', 'metadata.test', 'mapped.test']) {
      expect(await reasonOf(loopbackAllowed, `http://${name}:${port}/ok`), name).toBe('PRIVATE_ADDRESS');
      expect(await reasonOf(guarded, `http://${name}:${port}/ok`), name).toBe('PRIVATE_ADDRESS');
    }
    expect(violations).toEqual([]);
  });

  it('refuses a name when any of its addresses is refused (the resolver does not get to choose)', async () => {
    expect(await reasonOf(loopbackAllowed, `http://mixed.test:${port}/ok`)).toBe('PRIVATE_ADDRESS');
    expect(violations).toEqual([]);
  });

  it('refuses a name resolving to loopback unless loopback is allowed', async () => {
    expect(await reasonOf(guarded, `http://idp.test:${port}/ok`)).toBe('PRIVATE_ADDRESS');
    expect(await reasonOf(guarded, `http://v6.test:${port}/ok`)).toBe('PRIVATE_ADDRESS');
    const response = await loopbackAllowed(`http://idp.test:${port}/ok`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ issuer: 'http://idp.test' });
    expect(violations).toEqual([]);
  });

  it('connects to the very address it checked: a name that rebinds between lookups gains nothing', async () => {
    // A rebinding resolver: loopback (allowed here) on the first question, an internal address after.
    const answers = ['127.0.0.1', '10.0.0.1'];
    const asked: string[] = [];
    const rebinding = createGuardedFetch({
      allowLoopback: true,
      resolve: async (hostname) => {
        asked.push(hostname);
        const address = answers[Math.min(asked.length - 1, answers.length - 1)] as string;
        return [{ address, family: 4 }];
      },
    });
    expect((await rebinding(`http://rebind.test:${port}/ok`)).status).toBe(200);
    // One lookup per connection, and it is the check: there is no second answer for the socket to use.
    expect(asked).toEqual(['rebind.test']);
    expect(await reasonOf(rebinding, `http://rebind.test:${port}/ok`)).toBe('PRIVATE_ADDRESS');
    expect(violations).toEqual([]);
  });

  it('reaches literal loopback when allowed, and posts a body', async () => {
    const response = await loopbackAllowed(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'hello' });
    expect(response.json()).toEqual({ method: 'POST', body: 'hello' });
  });

  it('judges addresses by their range (public unicast only)', () => {
    expect(refusedAddress('8.8.8.8')).toBeNull();
    expect(refusedAddress('2606:4700::1111')).toBeNull();
    expect(refusedAddress('127.0.0.1', true)).toBeNull();
    expect(refusedAddress('::1', true)).toBeNull();
    expect(refusedAddress('10.0.0.1', true)).toBe('private');
    expect(refusedAddress('::ffff:192.168.0.1')).toBe('private');
    expect(refusedAddress('100::1')).not.toBeNull();
    expect(refusedAddress('not an address')).not.toBeNull();
  });
});

describe('guarded fetch: URLs and redirects', () => {
  it.each(['file:///etc/passwd', 'gopher://idp.test/', 'ftp://idp.test/', 'http://user:pass@idp.test/', 'not a url'])(
    'refuses %s',
    async (url) => {
      expect(await reasonOf(loopbackAllowed, url)).toBe('BAD_URL');
    },
  );

  it('does not follow a redirect unless asked', async () => {
    const to = encodeURIComponent(`http://127.0.0.1:${port}/ok`);
    expect(await reasonOf(loopbackAllowed, `http://idp.test:${port}/redirect?to=${to}`)).toBe('REDIRECT');
  });

  it('checks every hop it follows: a redirect to an internal address is refused', async () => {
    for (const target of [
      'http://127.0.0.1/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      `http://internal.test:${port}/ok`,
      'http://[::1]/',
    ]) {
      const url = `http://idp.test:${port}/redirect?to=${encodeURIComponent(target)}`;
      // Loopback is allowed for the first hop only by the test's own setting; without it, the first
      // hop is refused already, so the redirect to loopback is judged by the same rule.
      const expected = target.startsWith('http://127.') || target.includes('[::1]') ? 'REDIRECT' : 'PRIVATE_ADDRESS';
      expect(await reasonOf(loopbackAllowed, url, { maxRedirects: expected === 'REDIRECT' ? 0 : 3 }), target).toBe(
        expected,
      );
      expect(await reasonOf(guarded, url, { maxRedirects: 3 }), target).toBe('PRIVATE_ADDRESS');
    }
    const toFile = `http://idp.test:${port}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`;
    expect(await reasonOf(loopbackAllowed, toFile, { maxRedirects: 3 })).toBe('BAD_URL');
    expect(violations).toEqual([]);
  });

  it('follows a permitted redirect, a few hops at most', async () => {
    const ok = `http://idp.test:${port}/redirect?to=${encodeURIComponent('/ok')}`;
    expect((await loopbackAllowed(ok, { maxRedirects: 1 })).url).toBe(`http://idp.test:${port}/ok`);
    let loop = '/ok';
    for (let i = 0; i < 3; i++) loop = `/redirect?to=${encodeURIComponent(loop)}`;
    expect(await reasonOf(loopbackAllowed, `http://idp.test:${port}${loop}`, { maxRedirects: 2 })).toBe('REDIRECT');
  });
});

describe('guarded fetch: bounds', () => {
  it('cuts off a body larger than allowed (declared or streamed), and takes a larger limit when asked', async () => {
    expect(await reasonOf(loopbackAllowed, `http://idp.test:${port}/big`)).toBe('TOO_LARGE');
    expect(await reasonOf(loopbackAllowed, `http://idp.test:${port}/big-chunked`)).toBe('TOO_LARGE');
    const big = await loopbackAllowed(`http://idp.test:${port}/big`, { maxBytes: 1024 * 1024 });
    expect(big.body.length).toBe(100 * 1024);
  });

  it('gives up on a body that never ends', async () => {
    expect(await reasonOf(loopbackAllowed, `http://idp.test:${port}/slow`, { timeoutMs: 150 })).toBe('TIMEOUT');
  });

  it('reports a status outside 2xx', async () => {
    const error = await loopbackAllowed(`http://idp.test:${port}/missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardedFetchError);
    expect([(error as GuardedFetchError).reason, (error as GuardedFetchError).status]).toEqual(['BAD_STATUS', 500]);
  });

  it('reports a name that does not resolve as a network failure', async () => {
    expect(await reasonOf(loopbackAllowed, `http://nowhere.test:${port}/ok`)).toBe('NETWORK');
  });
});

describe('guarded fetch: kept-alive connections (webhook deliveries)', () => {
  // A receiver that counts its connections, and drops the second request of a connection unanswered
  // when asked (`/drop-second`): what a receiver closing an idle connection as we write looks like.
  let receiver: Server;
  let receiverPort: number;
  let connections = 0;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const served = ((req.socket as { served?: number }).served ?? 0) + 1;
      (req.socket as { served?: number }).served = served;
      req.resume();
      req.on('end', () => {
        if (req.url === '/drop-second' && served === 2) req.socket.destroy();
        else res.end('ok');
      });
    });
    receiver.on('connection', () => connections++);
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    receiverPort = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((ok) => receiver.close(ok));
  });

  it('sends one after another over one connection, looked up and checked once', async () => {
    const asked: string[] = [];
    const counting = (name: string) => {
      asked.push(name);
      return resolve(name);
    };
    const fetch = createGuardedFetch({ allowLoopback: true, resolve: counting });
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`http://idp.test:${receiverPort}/hook`, {
        method: 'POST',
        body: `${i}`,
        keepAlive: true,
      });
      expect(response.text()).toBe('ok');
    }
    expect([connections - before, asked]).toEqual([1, ['idp.test']]);
    // Without keepAlive, a connection (and a lookup) each.
    await fetch(`http://idp.test:${receiverPort}/hook`, { method: 'POST', body: 'x' });
    expect([connections - before, asked.length]).toEqual([2, 2]);
    expect(violations).toEqual([]);
  });

  it('checks every new connection: a kept-alive pool does not let a private name through', async () => {
    const fetch = createGuardedFetch({ allowLoopback: true, resolve });
    expect((await fetch(`http://idp.test:${receiverPort}/hook`, { keepAlive: true })).status).toBe(200);
    expect(await reasonOf(fetch, `http://internal.test:${receiverPort}/hook`, { keepAlive: true })).toBe(
      'PRIVATE_ADDRESS',
    );
    expect(await reasonOf(fetch, `http://mixed.test:${receiverPort}/hook`, { keepAlive: true })).toBe(
      'PRIVATE_ADDRESS',
    );
    expect(violations).toEqual([]);
  });

  it('sends again on a new connection when a reused one is dropped before any answer', async () => {
    const fetch = createGuardedFetch({ allowLoopback: true, resolve });
    const before = connections;
    const url = `http://idp.test:${receiverPort}/drop-second`;
    expect((await fetch(url, { method: 'POST', body: 'a', keepAlive: true })).text()).toBe('ok');
    // The second request on the kept connection is dropped: sent again, fresh, and answered.
    expect((await fetch(url, { method: 'POST', body: 'b', keepAlive: true })).text()).toBe('ok');
    expect(connections - before).toBe(2);
  });
});
