// The organization pages: invitations, teams and projects with "why can X do Y", credits, the audit log.
// Scenes are set through the API; what each test proves is done and read in the page.
import { expect, type Page, test } from '@playwright/test';
import {
  call,
  expectAccessible,
  organization,
  type Person,
  person,
  platformAdmin,
  signInAs,
  tokenInMail,
  uniqueEmail,
} from './helpers.ts';

// Long flows with an axe pass on every page they visit: on a loaded two-core machine they outlast 60 s.
test.describe.configure({ timeout: 180_000 });

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

test('an invitation cancelled in the page shows as cancelled and its link then refuses; a stale one is refused with a sentence', async ({
  page,
  request,
}) => {
  const owner = await person(request, 'inviter');
  const organizationId = await organization(request, owner, 'Invite Works');
  const kept = uniqueEmail('kept');
  const dropped = uniqueEmail('dropped');
  await call(request, 'organizations.invite', { organizationId, email: kept, role: 'member' }, { token: owner.token });
  const again = uniqueEmail('again');
  await call(request, 'organizations.invite', { organizationId, email: again }, { token: owner.token });
  const gone = await call<{ id: string }>(
    request,
    'organizations.invite',
    { organizationId, email: dropped, role: 'viewer' },
    { token: owner.token },
  );

  await signInAs(page, owner);
  await page.goto('/console/invitations');
  await expect(row(page, kept)).toContainText('member');
  await expect(row(page, kept)).toContainText('Inviter Example');
  await expect(row(page, dropped)).toContainText('pending');
  await expectAccessible(page);

  await page.getByRole('button', { name: `Resend the invitation to ${again}` }).click();
  await expect(page.getByRole('status')).toHaveText(`A new link is on its way to ${again}.`);

  // Cancelled elsewhere while the page still lists it: the server refuses the resend, said as a sentence.
  await call(
    request,
    'organizations.cancelInvitation',
    { organizationId, invitationId: gone.id },
    { token: owner.token },
  );
  await page.getByRole('button', { name: `Resend the invitation to ${dropped}` }).click();
  await expect(page.getByRole('alert')).toHaveText('This invitation was cancelled');

  await page.getByRole('button', { name: `Cancel the invitation to ${kept}` }).click();
  await expect(page.getByRole('status')).toHaveText(`The invitation to ${kept} is cancelled.`);
  await expect(row(page, kept)).toHaveCount(0);
  await expect(row(page, again)).toContainText('pending');

  await page.getByLabel('Status').selectOption('cancelled');
  await expect(row(page, kept)).toContainText('cancelled');
  await expect(row(page, dropped)).toContainText('cancelled');
  await expect(row(page, kept).getByRole('button')).toHaveCount(0);
  await expectAccessible(page);

  const token = await tokenInMail(kept, '/invitations/accept');
  const lookup = await call<{ status: string }>(request, 'invitations.lookup', { token }, { query: true });
  expect(lookup.status).toBe('cancelled');
});

/** Invites `who` as `role` and accepts with their own session. */
async function join(
  request: Parameters<typeof call>[0],
  organizationId: string,
  owner: Person,
  who: Person,
  role: string,
) {
  await call(request, 'organizations.invite', { organizationId, email: who.email, role }, { token: owner.token });
  const token = await tokenInMail(who.email, '/invitations/accept');
  await call(request, 'invitations.accept', { token }, { token: who.token });
}

test('a team made in the page gives a viewer a project role, explain shows the chain, and the audit log names who made it', async ({
  page,
  request,
}) => {
  const owner = await person(request, 'lead');
  const viewer = await person(request, 'viewer');
  const organizationId = await organization(request, owner, 'Team Works');
  await join(request, organizationId, owner, viewer, 'viewer');
  await call(request, 'projects.create', { organizationId, name: 'Apollo' }, { token: owner.token });

  await signInAs(page, owner);
  await page.goto('/console/teams');
  await expect(row(page, 'everyone')).toBeVisible();
  await expectAccessible(page);

  // The server's own rules: its field rule beside the field, its refusal of the built-in name as a sentence.
  await page.getByLabel('Name', { exact: true }).fill('x'.repeat(101));
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.locator('.field-error')).toHaveText('Too big: expected string to have <=100 characters');
  await page.getByLabel('Name', { exact: true }).fill('Everyone');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('alert')).toHaveText('everyone is the built-in team');

  await page.getByLabel('Name', { exact: true }).fill('Platform');
  await page.getByLabel('Description').fill('Keeps the lights on');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('heading', { name: 'Team Platform' })).toBeVisible();

  await page.getByLabel('Member to add').selectOption({ label: `${viewer.name} (${viewer.email})` });
  await page.getByRole('button', { name: 'Add to team' }).click();
  await expect(row(page, viewer.email)).toContainText('member');

  await page.getByLabel('On', { exact: true }).selectOption({ label: 'Project Apollo' });
  await page.getByLabel('Role', { exact: true }).selectOption('project_editor');
  await page.getByRole('button', { name: 'Grant role' }).click();
  await expect(page.locator('.bindings')).toContainText('project_editor on project Apollo');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'All teams' }).click();
  const explain = page.getByRole('region', { name: 'Why can someone do something?' });
  await explain.getByLabel('Who').selectOption({ label: `${viewer.name} (${viewer.email})` });
  await explain.getByLabel('Permission').selectOption('projects:write');
  await explain.getByLabel('On', { exact: true }).selectOption({ label: 'Project Apollo' });
  await explain.getByRole('button', { name: 'Explain' }).click();
  const answer = explain.locator('.explanation');
  await expect(answer).toContainText(`Yes: ${viewer.name} can use projects:write on project Apollo.`);
  await expect(answer.getByRole('listitem')).toHaveText([
    `${viewer.name} is in team Platform, which holds the role project_editor on project Apollo.`,
  ]);
  await expectAccessible(page);

  // On the organization itself the project role does not reach: no link, and what is missing.
  await explain.getByLabel('On', { exact: true }).selectOption({ label: 'The organization' });
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(answer).toContainText(`No: ${viewer.name} cannot use projects:write on the organization.`);
  await expect(answer).toContainText(`No role ${viewer.name} holds grants projects:write on the organization.`);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
  const created = row(page, 'team.created');
  await expect(created).toContainText(owner.name);
  await expect(created).toContainText('Platform');
  await expectAccessible(page);

  await page.getByLabel('Action').fill('team.created');
  await page.getByLabel('Actor').selectOption({ label: viewer.name });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('No entries match.')).toBeVisible();
  await page.getByLabel('Actor').selectOption({ label: owner.name });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
});

test("explain on a scoped key: its holder's role grants, and its scopes let through or leave out", async ({
  page,
  request,
}) => {
  const owner = await person(request, 'scoper');
  // The key is bound to the organization the owner acts in: this one.
  await organization(request, owner, 'Scope Works');
  const key = await call<{ keyPrefix: string }>(
    request,
    'auth.createKey',
    { name: 'reader', scopes: ['projects:read'] },
    { token: owner.token },
  );

  await signInAs(page, owner);
  await page.goto('/console/projects');
  const explain = page.getByRole('region', { name: 'Why can someone do something?' });
  const answer = explain.locator('.explanation');
  await explain.getByLabel('Who').selectOption({ label: `Key ${key.keyPrefix} (reader)` });
  await explain.getByLabel('Permission').selectOption('projects:read');
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(answer).toContainText(`Yes: Key ${key.keyPrefix} can use projects:read on the organization.`);
  await expect(answer.getByRole('listitem')).toHaveText([
    `The holder of key ${key.keyPrefix} holds the role owner in the organization. The credential's scopes include projects:read.`,
  ]);
  await expectAccessible(page);

  await explain.getByLabel('Permission').selectOption('projects:write');
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(answer).toContainText(`No: Key ${key.keyPrefix} cannot use projects:write on the organization.`);
  await expect(answer).toContainText("A role grants it, but the key's scopes leave projects:write out.");
});

test('projects: create one, make a team a collaborator, rename and delete it', async ({ page, request }) => {
  const owner = await person(request, 'planner');
  const organizationId = await organization(request, owner, 'Project Works');
  await call(request, 'teams.create', { organizationId, name: 'Design' }, { token: owner.token });

  await signInAs(page, owner);
  await page.goto('/console/projects');
  await expect(page.getByText('No projects yet.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Name', { exact: true }).fill('Gemini');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: 'Project Gemini' })).toBeVisible();

  await page.getByLabel('Member or team').selectOption({ label: 'Team Design' });
  await page.getByLabel('Project role').selectOption('project_viewer');
  await page.getByRole('button', { name: 'Add collaborator' }).click();
  await expect(row(page, 'Team Design')).toContainText('project_viewer');

  await page.getByLabel('Name', { exact: true }).fill('Gemini II');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Project Gemini II' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Delete project' }).click();
  await page.getByRole('button', { name: "Delete Gemini II and everyone's access to it" }).click();
  await expect(page.getByText('No projects yet.')).toBeVisible();
});

test("at phone width a team's page fits and reads; deleting the team takes it off the list", async ({
  page,
  request,
}) => {
  const owner = await person(request, 'pruner');
  const organizationId = await organization(request, owner, 'Prune Works');
  const team = await call<{ id: string }>(
    request,
    'teams.create',
    { organizationId, name: 'Ops' },
    { token: owner.token },
  );
  await call(request, 'teams.grantRole', { organizationId, teamId: team.id, role: 'viewer' }, { token: owner.token });

  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, owner);
  await page.goto(`/console/teams?team=${team.id}`);
  await expect(page.locator('.bindings')).toContainText('viewer on the organization');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Delete team' }).click();
  await page.getByRole('button', { name: 'Delete Ops and its role bindings' }).click();
  await expect(page.getByRole('heading', { name: 'Teams', exact: true })).toBeVisible();
  await expect(row(page, 'everyone')).toBeVisible();
  await expect(row(page, 'Ops')).toHaveCount(0);
});

test('a debit made with a key appears in the usage chart and the ledger; only a platform admin is offered to add credits', async ({
  page,
  request,
}) => {
  const owner = await person(request, 'spender');
  const organizationId = await organization(request, owner, 'Credit Works');
  const admin = await platformAdmin(request);
  await call(
    request,
    'credits.grant',
    { organizationId, amount: 100, type: 'purchase', idempotencyKey: `e2e-${organizationId}` },
    { token: admin.token },
  );
  const { key } = await call<{ key: string }>(request, 'auth.createKey', { name: 'meter' }, { token: owner.token });

  await signInAs(page, owner);
  await page.goto('/console/credits');
  await expect(page.getByTestId('balance')).toHaveText('100 credits');
  await expect(page.getByText('No credits were used in the last 30 days.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Credits used per day' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add credits (platform)' })).toHaveCount(0);
  await expectAccessible(page);

  await call(
    request,
    'credits.consume',
    { organizationId, amount: 2.5, reason: 'nightly render', idempotencyKey: `render-${organizationId}` },
    { token: key },
  );
  await page.reload();
  await expect(page.getByTestId('balance')).toHaveText('97.5 credits');
  const usage = page.getByRole('table', { name: 'Credits used per day' });
  await expect(usage.getByRole('row')).toHaveCount(2);
  await expect(usage.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('2.5');
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await expect(page.locator(`rect.chart-bar[data-day="${today}"]`)).toHaveAttribute('data-used', '2.5');
  await expect(row(page, 'nightly render')).toContainText('usage');
  await expect(row(page, 'nightly render')).toContainText('-2.5');

  await page.getByLabel('Type').selectOption('purchase');
  await expect(row(page, 'nightly render')).toHaveCount(0);
  await expect(row(page, 'purchase')).toContainText('+100');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);

  // The platform admin, in the organization they act in, is offered the grant form.
  await page.context().clearCookies();
  await signInAs(page, admin);
  await page.goto('/console/credits');
  await page.getByLabel('Amount').fill('12.5');
  await page.getByRole('button', { name: 'Add credits' }).click();
  await expect(page.getByText('Credits added.')).toBeVisible();
  await expect(row(page, 'grant').first()).toContainText('+12.5');
  await expectAccessible(page);
});
