// What the browser tests share: unique people, the mail the SMTP server received, calls to the API
// (to set a scene quickly; what a test proves is done in the page), and the accessibility check.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import pg from 'pg';

let counter = 0;
export const uniqueEmail = (tag: string) => `${tag}-${process.pid}-${Date.now()}-${++counter}@example.test`;
export const password = 'violet anchor harbor 1971';
/** The platform admin e2e/setup.ts bootstraps the server with (password: `password`). */
export const platformAdminEmail = 'platform-admin@example.test';

/** The path and query of the first link to `path` in a mail to `to` (waits for the mail to arrive). */
export async function linkInMail(to: string, path: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+(${path.replace(/[/]/g, '\\/')}\\?token=[\\w-]+)`);
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const lines = readFileSync(process.env.E2E_MAIL_FILE ?? '', 'utf8')
          .split('\n')
          .filter(Boolean);
        for (const line of lines) {
          const mail = JSON.parse(line) as { to: string[]; text: string };
          const found = mail.to.includes(to.toLowerCase()) ? pattern.exec(mail.text)?.[1] : undefined;
          if (found) link = found;
        }
        return link;
      },
      { message: `a mail to ${to} with a ${path} link`, timeout: 15_000 },
    )
    .toBeTruthy();
  return link ?? '';
}

async function verified(email: string): Promise<void> {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query('update users set email_verified = true where email = $1', [email]);
  } finally {
    await db.end();
  }
}

let calls = 0;
const sceneAddress = () => `10.${process.pid % 256}.${(++calls >> 8) % 256}.${calls % 256}`;

/** A tRPC call over HTTP as the API's own clients make it (superjson envelope). */
export async function call<T = unknown>(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
  { token, query = false }: { token?: string; query?: boolean } = {},
): Promise<T> {
  // Each scene call comes from an address of its own (the server trusts loopback's X-Forwarded-For, see
  // setup.ts): the per-address throttles on sign-up and sign-in are the API's own tests' business, and
  // would otherwise cap how many people the whole suite may make.
  // A fresh connection per call: a pooled one left idle past the server's keep-alive timeout (5 s) may be
  // closed just as the next call is written on it (ECONNRESET, seen in CI).
  const headers = {
    connection: 'close',
    'x-forwarded-for': sceneAddress(),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const url = `/trpc/${procedure}`;
  const response = query
    ? await request.get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers })
    : await request.post(url, { data: { json: input }, headers });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!response.ok() || !body.result) throw new Error(`${procedure} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

export interface Person {
  email: string;
  name: string;
  token: string;
  userId: string;
}

/** A verified account with a bearer session (for setting a scene through the API). */
export async function person(request: APIRequestContext, tag: string): Promise<Person> {
  const email = uniqueEmail(tag);
  const name = `${tag[0]?.toUpperCase()}${tag.slice(1)} Example`;
  const { sessionToken } = await call<{ sessionToken: string }>(request, 'auth.signup', { email, password, name });
  // Verified as the scene needs (creating an organization does). Set in the database: the mailed link
  // is the hosted pages' own test, and its throttle (30 an hour from one address) would cap the suite.
  await verified(email);
  const me = await call<{ userId: string }>(request, 'auth.whoami', undefined, { token: sessionToken, query: true });
  return { email, name, token: sessionToken, userId: me.userId };
}

/** An organization owned by `owner`, made their current one. */
export async function organization(request: APIRequestContext, owner: Person, name: string): Promise<string> {
  const created = await call<{ id: string }>(request, 'organizations.create', { name }, { token: owner.token });
  await call(request, 'users.updateMe', { organizationId: created.id }, { token: owner.token });
  return created.id;
}

/** Signs the page's browser context in as `who` (the session cookie, as the sign-in page would get it). */
export async function signInAs(page: Page, who: Person): Promise<void> {
  await call(page.request, 'auth.login', { email: who.email, password, cookie: true });
}

/** Zero axe violations (WCAG 2.1 A and AA) on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The deployment's platform admin that e2e/setup.ts bootstraps (it owns the "Platform Operator" organization). */
export async function platformAdmin(request: APIRequestContext): Promise<Person> {
  const email = platformAdminEmail;
  const { sessionToken } = await call<{ sessionToken: string }>(request, 'auth.login', { email, password });
  const me = await call<{ userId: string; name: string }>(request, 'auth.whoami', undefined, {
    token: sessionToken,
    query: true,
  });
  return { email, name: me.name, token: sessionToken, userId: me.userId };
}

/** The token of the first link to `path` in a mail to `to`. */
export const tokenInMail = async (to: string, path: string) =>
  new URLSearchParams((await linkInMail(to, path)).split('?')[1]).get('token') ?? '';

/** At a phone's width (390 px) the page scrolls only up and down: a wide table scrolls inside its own box. */
export async function expectFitsPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}
