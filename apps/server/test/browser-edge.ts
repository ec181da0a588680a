// The hooks' tests reach a served Gatehouse as a browser page on its origin would (TESTING.md).
import { createServer, request, type Server } from 'node:http';

/**
 * The public origin, in front of the server: a loopback proxy that labels each request as a browser
 * labels a same-origin one (`Sec-Fetch-Site: same-origin`, and `Origin` on a POST). happy-dom sends
 * neither (it strips every Sec- header and sends Origin only cross-origin), and the server rightly
 * refuses a cookie's change without them. Everything else passes untouched, Set-Cookie included.
 */
export function browserEdge(serverPort: number): Promise<Server> {
  const proxy = createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    const headers = { ...req.headers, 'sec-fetch-site': 'same-origin' };
    if (req.method !== 'GET' && req.method !== 'HEAD') headers.origin = origin;
    const upstream = request(
      { host: '127.0.0.1', port: serverPort, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}
