import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { expectAccessible, expectFitsPhone, organization, password, person, signInAs } from './helpers.ts';

/** The code an authenticator app shows `steps` periods of 30 s from now (the server accepts one step either side). */
const codeOf = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

test('enrol TOTP in the profile, then sign in again through the MFA step', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const owner = await person(request, 'careful');
  await organization(request, owner, 'Careful Co');
  await signInAs(page, owner);

  await page.goto('/console/profile');
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(owner.email);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(page.getByRole('img', { name: 'QR code of the key' })).toBeVisible();
  await expectAccessible(page);

  // A wrong code is refused with the server's sentence, and nothing is turned on.
  const confirmCode = page.getByLabel('Confirm: code from your authenticator app');
  await confirmCode.fill((await codeOf(secret)) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await expect(page.getByRole('alert')).toHaveText('The code is not valid, or was already used');

  await confirmCode.fill(await codeOf(secret));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByText('Two-step verification is on')).toBeVisible();
  await expect(page.getByText('10 recovery codes left')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await expectAccessible(page);
  // The next period's code: the one used to confirm is spent.
  await page.getByLabel('Code from your authenticator app').fill(await codeOf(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Careful Co' })).toBeVisible();
});

test('the profile changes the name and password and lists the sessions', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const someone = await person(request, 'renamer');
  await organization(request, someone, 'Renamer Ltd');
  await signInAs(page, someone);
  await page.goto('/console/profile');

  await page.getByLabel('Name', { exact: true }).fill('Rena Renamed');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Your details are saved.')).toBeVisible();

  // The server's password rule, beside the field.
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('.field-error')).toHaveText('Password must be at least 12 characters');
  await expectAccessible(page);

  // Two sessions: this browser's and the bearer one the scene was set with.
  const sessions = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Device' }) });
  await expect(sessions.getByRole('row')).toHaveCount(3);
  await expect(sessions.getByText('This session', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByText('Signed out of 1 other sessions.')).toBeVisible();
  await expect(sessions.getByRole('row')).toHaveCount(2);
  await expectFitsPhone(page);
});

test('a passkey added in the profile is the second factor at the next sign-in', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const owner = await person(request, 'keyholder');
  await organization(request, owner, 'Keyholder Inc');
  await signInAs(page, owner);
  // Chromium's virtual authenticator stands in for a security key or the platform's passkey store.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  await page.goto('/console/profile');
  await expect(page.getByText('No passkeys yet.')).toBeVisible();
  await page.getByLabel('Passkey name').fill('Test laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByRole('cell', { name: 'Test laptop', exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Keyholder Inc' })).toBeVisible();
});
