import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectFitsPhone, organization, person, signInAs } from './helpers.ts';

test('a webhook made in the page shows its secret once, and its test event is delivered', async ({ page, request }) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  // The receiver: on loopback, which the e2e server is started to allow (GATEHOUSE_ALLOW_LOOPBACK_URLS).
  const received: IncomingHttpHeaders[] = [];
  const receiver = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;

  const owner = await person(request, 'hooker');
  await organization(request, owner, 'Hook Works');
  await signInAs(page, owner);
  await page.goto('/console/webhooks');
  await expect(page.getByText('No endpoints yet.')).toBeVisible();
  await expectAccessible(page);

  // The server's own URL rule, beside the field.
  await page.getByLabel('Endpoint URL').fill('ftp://example.com/hooks');
  await page.getByLabel('A member is added').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.locator('.field-error')).toHaveText('Invalid URL');

  await page.getByLabel('Endpoint URL').fill(url);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = page.getByTestId('webhook-secret');
  await expect(secret).toHaveText(/^whsec_/);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'I have saved the secret' }).click();
  await expect(secret).toHaveCount(0);
  await expect(page.getByRole('cell', { name: url, exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Send a test event' }).click();
  const delivery = page.getByRole('row').filter({ hasText: 'webhook.test' });
  await expect(delivery.getByRole('cell', { name: 'Delivered' })).toBeVisible();
  await expect(delivery.getByRole('cell', { name: '204' })).toBeVisible();
  await expect(delivery.getByRole('cell', { name: /^\d+ ms$/ })).toBeVisible();
  expect(received.at(-1)?.['webhook-signature']).toMatch(/^v1,/);
  await expectAccessible(page);

  // A reload shows the endpoint, never its secret again.
  await page.reload();
  await expect(page.getByRole('cell', { name: url, exact: true })).toBeVisible();
  await expect(page.getByText(/whsec_/)).toHaveCount(0);
  await page.getByRole('button', { name: `Manage ${url}` }).click();
  await expect(page.getByRole('heading', { name: 'Deliveries' })).toBeVisible();
  await expectFitsPhone(page);
  await new Promise((r) => receiver.close(r));
});

test('domains show the TXT record to publish; SSO refuses an issuer that is no URL, and runs on SAML metadata', async ({
  page,
  request,
}) => {
  test.slow(); // several axe runs: on a loaded 2-core machine they alone can pass a minute
  const owner = await person(request, 'domainer');
  await organization(request, owner, 'Domain Works');
  await signInAs(page, owner);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

  await page.goto('/console/domains');
  await expect(page.getByText('No domains yet.')).toBeVisible();
  await expectAccessible(page);
  const domain = `e2e-${Date.now()}.example.com`;
  await page.getByLabel('Domain', { exact: true }).fill(domain);
  await page.getByRole('button', { name: 'Add domain' }).click();
  const row = page.getByRole('row').filter({ hasText: domain });
  await expect(row.getByText('Waiting for the TXT record')).toBeVisible();
  await row.getByRole('button', { name: `Copy the record value for ${domain}` }).click();
  await expect(row.getByText('Copied.')).toBeVisible();
  const value = await page.evaluate(() => navigator.clipboard.readText());
  await expect(row.getByText(value, { exact: true })).toBeVisible();
  await expectAccessible(page);
  await row.getByRole('button', { name: `Remove ${domain}` }).click();
  await expect(page.getByText('No domains yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Single sign-on' }).click();
  await expect(page.getByRole('button', { name: 'Turn on single sign-on' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Issuer URL').fill('acme');
  await page.getByLabel('Client ID').fill('gatehouse');
  await page.getByLabel('Client secret').fill('a client secret');
  await page.getByRole('button', { name: 'Turn on single sign-on' }).click();
  await expect(page.locator('.field-error')).toHaveText(
    'An OIDC identifier is the issuer URL (https://…, without query, fragment or credentials)',
  );
  await page.getByLabel('SAML').check();
  await expect(page.getByLabel('IdP metadata (XML)')).toBeVisible();
  await expectAccessible(page);

  // SAML needs nothing fetched: the metadata is the connection; the test reads its signing certificate.
  await page.getByLabel('IdP entity ID').fill('https://idp.example.test/saml');
  await page
    .getByLabel('IdP metadata (XML)')
    .fill(readFileSync(join(import.meta.dirname, 'fixtures/idp-metadata.xml'), 'utf8'));
  await page.getByRole('button', { name: 'Turn on single sign-on' }).click();
  await expect(page.getByText('Set (never shown)')).toBeVisible();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByText('The identity provider answers as expected.')).toBeVisible();
  await expect(page.getByText(/^Passed: signing certificate 1: valid until/)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Require single sign-on for members on verified domains').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('The connection is saved.')).toBeVisible();
  await expect(page.getByText('Yes, for members on verified domains')).toBeVisible();
  await expectFitsPhone(page);
  await page.getByRole('button', { name: 'Turn off…' }).click();
  await page.getByRole('button', { name: 'Turn off single sign-on' }).click();
  await expect(page.getByRole('button', { name: 'Turn on single sign-on' })).toBeVisible();
});
