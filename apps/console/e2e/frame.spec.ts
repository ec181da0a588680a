import { expect, test } from '@playwright/test';
import { expectAccessible, organization, person, signInAs } from './helpers.ts';

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the navigation opens from the Menu button, by keyboard, and every page in it loads', async ({
    page,
    request,
  }) => {
    const owner = await person(request, 'phone');
    await organization(request, owner, 'Pocket Org');
    await signInAs(page, owner);
    await page.goto('/console');
    await expect(page.getByRole('heading', { name: 'Pocket Org' })).toBeVisible();

    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect(nav).toBeHidden();
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await expectAccessible(page);

    // No page is wider than the phone: nothing scrolls sideways but tables inside their own box.
    const links = await nav.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      await page.goto(href);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, href).toBeLessThanOrEqual(0);
    }
  });
});

test('signing out ends the session: the console sends you to sign in again', async ({ page, request }) => {
  const owner = await person(request, 'leaver');
  await organization(request, owner, 'Leaver Org');
  await signInAs(page, owner);
  await page.goto('/console');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/console');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fconsole$/);
});
