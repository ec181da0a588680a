import { expect, test } from '@playwright/test';
import {
  call,
  expectAccessible,
  linkInMail,
  organization,
  password,
  person,
  signInAs,
  uniqueEmail,
} from './helpers.ts';

const tokenOf = (link: string) => new URLSearchParams(link.split('?')[1]).get('token') ?? '';

test('a member invited in the page accepts in another browser and appears in the table', async ({
  page,
  browser,
  request,
}) => {
  test.slow();
  const owner = await person(request, 'inviter');
  await organization(request, owner, 'Invite Works');
  await signInAs(page, owner);
  await page.goto('/console/members');
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: owner.email })).toBeVisible();
  await expectAccessible(page);

  const invite = page.getByRole('form', { name: 'Invite a member' });
  await invite.getByLabel('Email').fill('not an address');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  // The server's own schema, checked in the page before anything is sent.
  await expect(invite.getByText('Invalid email address')).toBeVisible();

  const invitee = uniqueEmail('invitee');
  await invite.getByLabel('Email').fill(invitee);
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(invite.getByRole('status')).toHaveText(`Invitation sent to ${invitee}.`);

  // The invitee, in a browser of their own, follows the mailed link and creates their account there.
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  await theirPage.goto(await linkInMail(invitee, '/invitations/accept'));
  await expect(theirPage.getByText('invited you to join Invite Works')).toBeVisible();
  await expectAccessible(theirPage);
  await theirPage.getByLabel('Your name').fill('Ivy Invitee');
  await theirPage.getByLabel('Password').fill(password);
  await theirPage.getByRole('button', { name: 'Accept and create account' }).click();
  await expect(theirPage.getByText('Your account is ready and you joined Invite Works.')).toBeVisible();
  await theirs.close();

  await page.reload();
  await expect(page.getByRole('cell', { name: invitee })).toBeVisible();
});

test('an admin changing the owner’s role is refused, and the page says why beside the row', async ({
  page,
  request,
}) => {
  test.slow();
  const owner = await person(request, 'owner');
  const organizationId = await organization(request, owner, 'Hierarchy Works');
  const adminEmail = uniqueEmail('admin');
  await call(
    request,
    'organizations.invite',
    { organizationId, email: adminEmail, role: 'admin' },
    { token: owner.token },
  );
  const token = tokenOf(await linkInMail(adminEmail, '/invitations/accept'));
  await call(request, 'invitations.accept', { token, name: 'Ada Admin', password });

  await signInAs(page, { email: adminEmail, name: 'Ada Admin', token: '', userId: '' });
  await page.goto('/console/members');
  const ownerRow = page.getByRole('row').filter({ hasText: owner.email });
  await ownerRow.getByLabel(/^Role of /).selectOption('member');
  await ownerRow.getByRole('button', { name: /^Save role of / }).click();
  await expect(ownerRow.getByRole('alert')).toHaveText('Only an owner can change the role of an owner.');
  // What the table shows stays true: the owner is still the owner.
  await expect(ownerRow.getByLabel(/^Role of /)).toHaveValue('owner');
  await expectAccessible(page);
});
