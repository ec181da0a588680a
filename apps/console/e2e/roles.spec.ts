import { expect, test } from '@playwright/test';
import { expectAccessible, organization, person, signInAs } from './helpers.ts';
import { expectFitsPhone, memberOf } from './scene.ts';

// Flows of many steps, each page checked with axe: three times the default timeout.
test.slow();

test('a custom role made in the editor is listed with its permissions, edited, and deleted', async ({
  page,
  request,
}) => {
  const owner = await person(request, 'roler');
  await organization(request, owner, 'Roler Works');
  await signInAs(page, owner);
  await page.goto('/console/roles');
  await expect(page.getByRole('row', { name: /Owner/ })).toContainText('Built-in');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'New role' }).click();
  await page.getByLabel('Key', { exact: true }).fill('auditor');
  await page.getByLabel('Name').fill('Auditor');
  await page.getByLabel('audit:read').check();
  await page.getByLabel('members:read').check();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create role' }).click();
  const row = page.getByRole('row', { name: /Auditor/ });
  await expect(row.getByRole('listitem')).toHaveText(['members read', 'audit read']);
  await expect(row).toContainText('Custom');
  await expectFitsPhone(page);

  // The key is taken now: the server's refusal, as it says it.
  await page.getByRole('button', { name: 'New role' }).click();
  await page.getByLabel('Key', { exact: true }).fill('auditor');
  await page.getByLabel('Name').fill('Second auditor');
  await page.getByLabel('audit:read').check();
  await page.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByRole('alert')).toHaveText('A role with key auditor already exists');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await row.getByRole('button', { name: 'Edit Auditor' }).click();
  await expect(page.getByLabel('audit:read')).toBeChecked();
  await page.getByLabel('teams:read').check();
  await page.getByRole('button', { name: 'Save role' }).click();
  await expect(row.getByRole('listitem')).toHaveText(['members read', 'teams read', 'audit read']);

  // Someone holds it now: the delete is refused until they are given somewhere to go.
  await memberOf(request, owner, 'auditor', 'auditee');
  await page.reload();
  await expect(row.getByRole('cell').nth(1)).toHaveText('1');
  await row.getByRole('button', { name: 'Delete Auditor' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the role "Auditor"?' });
  await confirm.getByRole('button', { name: 'Delete role' }).click();
  await expect(confirm.getByRole('alert')).toHaveText(
    'Role auditor is held by 1 member(s), 0 service account(s) and 0 team(s); give reassignTo to move them',
  );
  await expectAccessible(page);
  await confirm.getByLabel('Move whoever holds it to').selectOption('viewer');
  await confirm.getByRole('button', { name: 'Delete role' }).click();
  await expect(row).toBeHidden();
  await expect(
    page
      .getByRole('row', { name: /Viewer/ })
      .getByRole('cell')
      .nth(1),
  ).toHaveText('1');
});

test('nobody grants what they do not hold, and a member may not edit roles: both refusals shown', async ({
  page: adminPage,
  browser,
  request,
}) => {
  const owner = await person(request, 'roleowner');
  await organization(request, owner, 'Guarded Works');

  const admin = await memberOf(request, owner, 'admin', 'roleadmin');
  await signInAs(adminPage, admin);
  await adminPage.goto('/console/roles');
  await adminPage.getByRole('button', { name: 'New role' }).click();
  await adminPage.getByLabel('Key', { exact: true }).fill('janitor');
  await adminPage.getByLabel('Name').fill('Janitor');
  // Only owners hold organizations:delete.
  await adminPage.getByLabel('organizations:delete').check();
  await adminPage.getByRole('button', { name: 'Create role' }).click();
  await expect(adminPage.getByRole('alert')).toHaveText(
    'Cannot grant these permissions: you do not hold organizations:delete',
  );

  const member = await memberOf(request, owner, 'member', 'rolemember');
  // A second person: a browser context of their own.
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signInAs(memberPage, member);
  await memberPage.goto('/console/roles');
  await memberPage.getByRole('button', { name: 'New role' }).click();
  await memberPage.getByLabel('Key', { exact: true }).fill('helper');
  await memberPage.getByLabel('Name').fill('Helper');
  await memberPage.getByLabel('projects:read').check();
  await memberPage.getByRole('button', { name: 'Create role' }).click();
  await expect(memberPage.getByRole('alert')).toHaveText('Requires roles:write');
  await expectAccessible(memberPage);
  await memberContext.close();
});
