import { expect, test } from '@playwright/test';
import {
  call,
  expectAccessible,
  expectFitsPhone,
  organization,
  password,
  person,
  platformAdminEmail,
  signInAs,
} from './helpers.ts';

test('the platform page is hidden from someone who is not a platform admin', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const owner = await person(request, 'tenant');
  await organization(request, owner, 'Tenant Co');
  await signInAs(page, owner);
  await page.goto('/console');
  await expect(page.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Platform' })).toHaveCount(
    0,
  );

  await page.goto('/console/platform');
  await expect(page.getByRole('alert')).toHaveText('Only platform administrators can open this page.');
  await expectAccessible(page);
});

test('a platform admin lists organizations and users and registers a permission', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const tenant = await person(request, 'listed');
  const organizationId = await organization(request, tenant, 'Listed Co');
  await call(page.request, 'auth.login', { email: platformAdminEmail, password, cookie: true });

  await page.goto('/console');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Platform' }).click();
  await expect(page.getByRole('heading', { name: 'Platform', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search organizations' }).fill('Listed Co');
  await page.getByRole('searchbox', { name: 'Search organizations' }).press('Enter');
  await expect(page.getByRole('cell', { name: 'Listed Co', exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search users' }).fill(tenant.email);
  await page.getByRole('searchbox', { name: 'Search users' }).press('Enter');
  await expect(page.getByRole('cell', { name: tenant.email, exact: true })).toBeVisible();
  await expectAccessible(page);

  // Suspending takes a reason; the organization's members are refused until it is lifted.
  await page.getByRole('button', { name: 'Suspend Listed Co' }).click();
  await page.getByLabel('Why suspend Listed Co').fill('Unpaid invoices');
  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'Unpaid invoices' })).toBeVisible();
  await expect(
    call(request, 'organizations.retrieve', { organizationId }, { token: tenant.token, query: true }),
  ).rejects.toThrow('"reason":"ORGANIZATION_SUSPENDED"');
  await page.getByRole('button', { name: 'Unsuspend Listed Co' }).click();
  await expect(page.getByRole('button', { name: 'Suspend Listed Co' })).toBeVisible();

  await page.getByLabel('Permission', { exact: true }).fill('Reports');
  await page.getByRole('button', { name: 'Register permission' }).click();
  await expect(page.locator('.field-error')).toHaveText('Must be lowercase <resource>:<action>, e.g. workflows:read');

  const key = `reports${Date.now()}:read`;
  await page.getByLabel('Permission', { exact: true }).fill(key);
  await page.getByLabel('Description', { exact: true }).fill('Read the reports');
  await page.getByLabel('member').check();
  await page.getByRole('button', { name: 'Register permission' }).click();
  const row = page.getByRole('row').filter({ hasText: key });
  await expect(row.getByRole('cell', { name: 'Read the reports' })).toBeVisible();
  await expectAccessible(page);

  await row.getByRole('button', { name: `Edit ${key}` }).click();
  await page.getByLabel(`Description of ${key}`).fill('Read every report');
  await page.getByRole('button', { name: `Save ${key}` }).click();
  await expect(row.getByRole('cell', { name: 'Read every report' })).toBeVisible();
  await row.getByRole('button', { name: `Delete ${key}` }).click();
  await expect(page.getByRole('row').filter({ hasText: key })).toHaveCount(0);
  await expectFitsPhone(page);
});
