import { expect, test } from '@playwright/test';
import { expectAccessible, linkInMail, password, uniqueEmail } from './helpers.ts';

test('sign up, verify the address from the real mail, and create the first organization', async ({ page }) => {
  const email = uniqueEmail('newcomer');
  await page.goto('/');
  // Not signed in: the console sends the newcomer to sign in, keeping where they were going.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fconsole$/);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Create an account' }).click();
  await expectAccessible(page);
  await page.getByLabel('Name').fill('Nina Newcomer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The server's own password rule, shown beside the field.
  await expect(page.locator('.field-error')).toContainText(/password/i);

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  await page.goto(await linkInMail(email, '/verify-email'));
  await expect(page.getByRole('status').or(page.getByText('Your email is verified.'))).toContainText(
    'Your email is verified.',
  );
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Continue to the console' }).click();
  await expect(page.getByRole('heading', { name: 'Create your organization' })).toBeVisible();
  await page.getByLabel('Organization name').fill('Nina Works');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('heading', { name: 'Nina Works' })).toBeVisible();
  await expectAccessible(page);
});

test('a wrong password is refused with a sentence, and the reset mail sets a new one', async ({ page, request }) => {
  const email = uniqueEmail('forgetful');
  await request.post('/trpc/auth.signup', { data: { json: { email, password, name: 'Fred Forgetful' } } });

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('a reset link is on its way')).toBeVisible();

  await page.goto(await linkInMail(email, '/reset-password'));
  await expectAccessible(page);
  await page.getByLabel('New password').fill('a brand new long passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password is changed.')).toBeVisible();

  // A `next` that a browser would read as another origin (`/\host`) is not followed.
  await page.goto('/sign-in?next=%2F%5Cevil.example');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a brand new long passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Create your organization' })).toBeVisible();
  await expect(page).toHaveURL(/\/console$/);
});
