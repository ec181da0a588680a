// Scenes the credential and role flows share, set through the API.
import type { APIRequestContext, Page } from '@playwright/test';
import { call, expectFitsPhone as fitsPhone, type Person, password, uniqueEmail } from './helpers.ts';

/** A member of the owner's current organization with `role`, who signs in with the helpers' password. */
export async function memberOf(request: APIRequestContext, owner: Person, role: string, tag: string): Promise<Person> {
  const email = uniqueEmail(tag);
  const name = `${tag[0]?.toUpperCase()}${tag.slice(1)} Example`;
  // An account the organization creates is its own to manage: no invitation to accept first.
  const created = await call<{ id: string }>(
    request,
    'users.create',
    { email, name, role, password },
    { token: owner.token },
  );
  const { sessionToken } = await call<{ sessionToken: string }>(request, 'auth.login', { email, password });
  return { email, name, token: sessionToken, userId: created.id };
}

/** What the server answered a call made with `bearer`: the HTTP status and the error's code, reason and message. */
export async function refusal(request: APIRequestContext, procedure: string, bearer: string) {
  const response = await request.get(`/trpc/${procedure}`, { headers: { authorization: `Bearer ${bearer}` } });
  const body = (await response.json()) as {
    error?: { json: { message: string; data: { code: string; reason: string } } };
  };
  return {
    status: response.status(),
    code: body.error?.json.data.code,
    reason: body.error?.json.data.reason,
    message: body.error?.json.message,
  };
}

/** At a phone's width (390 px) the page scrolls down only; then the viewport is as it was. */
export async function expectFitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize();
  await fitsPhone(page);
  if (before) await page.setViewportSize(before);
}
