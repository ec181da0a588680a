import { expect, test } from '@playwright/test';
import { call, expectAccessible, organization, person, signInAs } from './helpers.ts';
import { expectFitsPhone, memberOf, refusal } from './scene.ts';

// Flows of many steps, each page checked with axe: three times the default timeout.
test.slow();

test('a key made in the page, its secret copied, used, seen used, then revoked and refused', async ({
  page,
  context,
  request,
}) => {
  const owner = await person(request, 'keyholder');
  const organizationId = await organization(request, owner, 'Keyholder Works');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInAs(page, owner);
  await page.goto('/console/keys');
  await expect(page.getByText('No keys yet.')).toBeVisible();
  await expectAccessible(page);

  // The server's own rule, beside its field.
  await page.getByLabel('Name', { exact: true }).fill('Deploy bot');
  await page.getByLabel('Expires in (days)').fill('0');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByLabel('Expires in (days)')).toHaveAccessibleDescription(
    'Too small: expected number to be >=1',
  );

  await page.getByLabel('Expires in (days)').fill('30');
  await page.getByLabel('organizations:read').check();
  await page.getByLabel('roles:read').check();
  await page.getByRole('button', { name: 'Create key' }).click();

  const dialog = page.getByRole('dialog', { name: 'Key "Deploy bot" created' });
  await expect(dialog).toContainText('you will not see it again');
  const key = await dialog.getByLabel('Key', { exact: true }).inputValue();
  expect(key).toMatch(/^gh_[a-z0-9]{8}_[A-Za-z0-9]+$/);
  await dialog.getByRole('button', { name: 'Copy key' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: /Deploy bot/ });
  const lastUsed = row.getByRole('cell').nth(2);
  await expect(row.getByRole('cell').nth(1).getByRole('listitem')).toHaveText(['organizations read', 'roles read']);
  await expect(lastUsed).toHaveText('Never');

  // The key works for what it is scoped to, over tRPC and REST.
  const whoami = await call<{ apiKey: { scopes: string[] } }>(request, 'auth.whoami', undefined, {
    token: key,
    query: true,
  });
  expect(whoami.apiKey.scopes).toEqual(['organizations:read', 'roles:read']);
  const rest = await request.get(`/api/v1/organizations/${organizationId}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(rest.status()).toBe(200);

  // Uses are written in batches (every 2 s): a reload shows the use once it is written.
  await expect(async () => {
    await page.reload();
    await expect(lastUsed).not.toHaveText('Never', { timeout: 1_000 });
  }).toPass();

  await row.getByRole('button', { name: 'Revoke Deploy bot' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke "Deploy bot"?' });
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByRole('cell').nth(4)).toHaveText('revoked');
  await expectFitsPhone(page);

  expect(await refusal(request, 'auth.whoami', key)).toEqual({
    status: 401,
    code: 'UNAUTHORIZED',
    reason: 'UNAUTHORIZED',
    message: 'Invalid API key',
  });
});

test('rotating shows a new secret once and the old one stops working', async ({ page, request }) => {
  const owner = await person(request, 'rotator');
  await organization(request, owner, 'Rotator Works');
  const old = await call<{ key: string }>(
    request,
    'auth.createKey',
    { name: 'Nightly', scopes: ['roles:read'] },
    {
      token: owner.token,
    },
  );
  await signInAs(page, owner);
  await page.goto('/console/keys');

  await page.getByRole('button', { name: 'Rotate Nightly' }).click();
  await page.getByRole('dialog', { name: 'Rotate "Nightly"?' }).getByRole('button', { name: 'Rotate key' }).click();
  const dialog = page.getByRole('dialog', { name: 'New secret for "Nightly"' });
  const key = await dialog.getByLabel('Key', { exact: true }).inputValue();
  expect(key).not.toBe(old.key);
  await dialog.getByRole('button', { name: 'Done' }).click();

  expect((await refusal(request, 'auth.whoami', old.key)).status).toBe(401);
  const whoami = await call<{ userId: string }>(request, 'auth.whoami', undefined, { token: key, query: true });
  expect(whoami.userId).toBe(owner.userId);
});

test('a member cannot give a key a permission they do not hold: the refusal is shown', async ({ page, request }) => {
  const owner = await person(request, 'keyowner');
  await organization(request, owner, 'Scoped Works');
  const member = await memberOf(request, owner, 'member', 'keymember');
  await signInAs(page, member);
  await page.goto('/console/keys');

  await page.getByLabel('Name', { exact: true }).fill('Too strong');
  await page.getByLabel('roles:write').check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cannot grant these scopes: you do not hold roles:write');
  await expectAccessible(page);
});

test('the key list pages through the keys, 20 at a time', async ({ page, request }) => {
  const owner = await person(request, 'manykeys');
  await organization(request, owner, 'Many Keys Works');
  for (let i = 1; i <= 21; i++) {
    await call(request, 'auth.createKey', { name: `Key ${i}`, scopes: ['roles:read'] }, { token: owner.token });
  }
  await signInAs(page, owner);
  await page.goto('/console/keys');
  const rows = page.getByRole('table').getByRole('row');
  // A header row and the 20 newest.
  await expect(rows).toHaveCount(21);
  await expect(rows.nth(1).getByRole('rowheader')).toHaveText('Key 21');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).getByRole('rowheader')).toHaveText('Key 1');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(rows).toHaveCount(21);
});
