import { expect, test } from '@playwright/test';
import { expectAccessible, organization, person, signInAs } from './helpers.ts';
import { expectFitsPhone } from './scene.ts';

// Flows of many steps, each page checked with axe: three times the default timeout.
test.slow();

test('a service account and its credential made in the page: the secret gets a token until revoked', async ({
  page,
  request,
}) => {
  const owner = await person(request, 'machinist');
  await organization(request, owner, 'Machinist Works');
  await signInAs(page, owner);
  await page.goto('/console/service-accounts');
  await expect(page.getByText('No service accounts yet.')).toBeVisible();
  await expectAccessible(page);

  // The server's rule for an empty name, beside the field.
  await page.getByRole('button', { name: 'Create service account' }).click();
  await expect(page.getByLabel('Name')).toHaveAccessibleDescription(
    'Too small: expected string to have >=1 characters',
  );
  await page.getByLabel('Name').fill('Nightly export');
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create service account' }).click();
  await page.getByRole('link', { name: 'Nightly export' }).click();

  await expect(page.getByRole('heading', { name: 'Nightly export' })).toBeVisible();
  await expect(page.getByText('No credentials yet.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Name').fill('CI');
  await page.getByRole('button', { name: 'Create credential' }).click();
  const dialog = page.getByRole('dialog', { name: 'Credential "CI" created' });
  await expect(dialog).toContainText('you will not see it again');
  const clientId = await dialog.getByLabel('Client id').inputValue();
  const clientSecret = await dialog.getByLabel('Client secret').inputValue();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expectFitsPhone(page);

  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  const token = () =>
    request.post('/oauth/token', {
      headers: { authorization: basic },
      form: { grant_type: 'client_credentials' },
    });
  const issued = await token();
  expect(issued.status()).toBe(200);
  expect(((await issued.json()) as { token_type: string }).token_type).toBe('Bearer');

  const row = page.getByRole('row', { name: /CI/ });
  await row.getByRole('button', { name: 'Revoke CI' }).click();
  await page.getByRole('dialog', { name: 'Revoke "CI"?' }).getByRole('button', { name: 'Revoke credential' }).click();
  await expect(page.getByText('No credentials yet.')).toBeVisible();

  const refused = await token();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
});
