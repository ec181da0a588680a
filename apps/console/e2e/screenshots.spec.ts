// The README's pictures: the main pages of a small, lived-in organization, saved to docs/screenshots/.
// Skipped in the test run; refresh them with `corepack pnpm screenshots`.
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { call, organization, person, platformAdmin, signInAs } from './helpers.ts';
import { memberOf } from './scene.ts';

const out = resolve(import.meta.dirname, '../../../docs/screenshots');

test.skip(!process.env.SCREENSHOTS, 'run with SCREENSHOTS=1 (corepack pnpm screenshots) to refresh docs/screenshots');
test.use({ viewport: { width: 1280, height: 800 } });

test('screenshots of the main pages', async ({ page, request }) => {
  test.slow();
  const owner = await person(request, 'avery');
  const organizationId = await organization(request, owner, 'Acme Robotics');
  for (const [role, tag] of [
    ['admin', 'blake'],
    ['member', 'casey'],
    ['member', 'devon'],
    ['viewer', 'emery'],
  ] as const) {
    await memberOf(request, owner, role, tag);
  }
  await call(
    request,
    'organizations.invite',
    { organizationId, email: 'frankie@example.test', role: 'member' },
    { token: owner.token },
  );
  const admin = await platformAdmin(request);
  await call(
    request,
    'credits.grant',
    { organizationId, amount: 500, type: 'purchase', idempotencyKey: `shots-${organizationId}` },
    { token: admin.token },
  );
  for (const [i, amount] of [12, 30, 7.5, 18, 25, 9, 14, 33, 21, 16, 11, 27].entries()) {
    await call(
      request,
      'credits.consume',
      { organizationId, amount, reason: 'render job', idempotencyKey: `shot-${i}-${organizationId}` },
      { token: owner.token },
    );
  }
  // A chart of one day says little: the debits are spread over the last two weeks (rows backdated).
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  await db.query(
    `update credit_transactions t set created_at = now() - make_interval(days => d.n::int)
       from (select id, row_number() over (order by created_at) as n from credit_transactions
             where organization_id = $1 and type = 'usage') d
      where t.id = d.id`,
    [organizationId],
  );
  await db.end();
  await call(
    request,
    'auth.createKey',
    { name: 'ci-deploy', scopes: ['members:read', 'credits:read'] },
    { token: owner.token },
  );
  await call(request, 'auth.createKey', { name: 'billing-sync', scopes: ['credits:read'] }, { token: owner.token });
  await call(request, 'teams.create', { organizationId, name: 'Platform' }, { token: owner.token });

  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: `${out}/sign-in.png` });

  await signInAs(page, owner);
  for (const [path, name, heading] of [
    ['/console', 'overview', 'Acme Robotics'],
    ['/console/members', 'members', 'Members'],
    ['/console/keys', 'keys', 'API keys'],
    ['/console/roles', 'roles', 'Roles'],
    ['/console/credits', 'credits', 'Credits'],
    ['/console/audit', 'audit', 'Audit log'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Loading' })).toHaveCount(0);
    await page.screenshot({ path: `${out}/${name}.png` });
  }
});
