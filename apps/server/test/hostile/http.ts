// The hostile suite talks HTTP to the in-process app, as an attacker would: raw requests, raw
// headers, a chosen peer address. Every refusal is pinned by its tRPC code and data.reason.
import { expect } from 'vitest';
import { type App, fromPeer } from '../app.js';

export interface ErrorData {
  code: string;
  httpStatus: number;
  reason: string;
  fieldErrors?: Record<string, string[]>;
  details?: Record<string, unknown>;
}

export interface Answer {
  status: number;
  headers: Headers;
  result: unknown;
  error: ErrorData | undefined;
  message: string | undefined;
}

/** One tRPC call over HTTP: a query by GET, anything else by POST; `raw` sends the body as given. */
export async function call(
  app: App,
  path: string,
  input?: unknown,
  opts: { query?: boolean; headers?: Record<string, string>; peer?: string; raw?: string } = {},
): Promise<Answer> {
  const env = fromPeer(opts.peer ?? '192.0.2.10');
  const encoded = opts.raw ?? JSON.stringify({ json: input });
  const res = opts.query
    ? await app.request(`/trpc/${path}?input=${encodeURIComponent(encoded)}`, { headers: opts.headers }, env)
    : await app.request(
        `/trpc/${path}`,
        { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: encoded },
        env,
      );
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as {
    result?: { data?: { json?: unknown } };
    error?: { json?: { message?: string; data?: ErrorData } };
  };
  return {
    status: res.status,
    headers: res.headers,
    result: body.result?.data?.json,
    error: body.error?.json?.data,
    message: body.error?.json?.message,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The answer is a refusal with exactly this code and reason (and, when throttled, a Retry-After). */
export function expectRefused(answer: Answer, code: string, reason: string = code): ErrorData {
  expect(
    answer.error,
    `expected ${code}/${reason}, got ${JSON.stringify(answer.result ?? answer.error)}`,
  ).toBeDefined();
  expect({ code: answer.error?.code, reason: answer.error?.reason }).toEqual({ code, reason });
  if (code === 'TOO_MANY_REQUESTS') {
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.error?.details?.retryAfterSeconds).toBe(Number(answer.headers.get('retry-after')));
  }
  return answer.error as ErrorData;
}

export const PASSWORD = 'a sturdy passphrase 42';
let counter = 0;
export const uniqueEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${++counter}@example.com`;

/** A signed-up account (no organization yet) and its session. */
export async function signup(app: App, tag = 'user', peer = `10.77.${(counter >> 8) & 255}.${counter & 255}`) {
  const email = uniqueEmail(tag);
  const answer = await call(app, 'auth.signup', { email, password: PASSWORD, name: tag }, { peer });
  const result = answer.result as { userId: string; sessionToken: string };
  expect(result?.sessionToken, JSON.stringify(answer.error)).toBeTruthy();
  return { email, ...result };
}
