// REST over the in-process app, as a client of any language would call it.
import type { App } from '../app.js';

export interface RestAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the wire says; tests assert on them
  body: any;
}

/** One REST call: `body` is sent as JSON; `token` as a Bearer credential. */
export async function rest(
  app: App,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  if (hasBody) headers['content-type'] ??= 'application/json';
  const res = await app.request(`/api/v1${path}`, {
    method,
    headers,
    ...(hasBody ? { body: opts.raw ?? JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
