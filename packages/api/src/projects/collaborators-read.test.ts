// On a project, members:* is its collaborators (contract): listing them, with their emails, is members:read there.
import { newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useTestRuntime();
const reason = (error: { cause?: unknown }) => (error.cause as { reason?: string } | undefined)?.reason;

async function bind(userId: string, organizationId: string, projectId: string, role: string) {
  await env.db.orm.em.fork().execute(
    `insert into role_bindings (id, organization_id, user_id, project_id, role, created_at, updated_at)
       values (?, ?, ?, ?, ?, now(), now())`,
    [newId('rbd'), organizationId, userId, projectId, role],
  );
}

describe('projects.collaborators', () => {
  it('is refused to an external project viewer, who would read every collaborator’s email', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Shared' });
    const [colleague, viewer, admin] = (await seedAccounts(env.db.orm, [
      { memberOf: { organizationId, role: 'member' } },
      { session: true, primaryOrganizationId: null },
      { session: true, primaryOrganizationId: null },
    ])) as [SeededAccount, SeededAccount, SeededAccount];
    await bind(colleague.userId, organizationId, project.id, 'project_editor');
    await bind(viewer.userId, organizationId, project.id, 'project_viewer');
    await bind(admin.userId, organizationId, project.id, 'project_admin');

    const external = callerAs(env.runtime, viewer.sessionToken as string);
    await expect(external.projects.retrieve({ organizationId, projectId: project.id })).resolves.toBeTruthy();
    const refused = await rejectionOf(external.projects.collaborators({ organizationId, projectId: project.id }));
    expect([refused.code, reason(refused), refused.message]).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'Requires members:read',
    ]);

    // The project's admin manages its collaborators, so reads them; so do the organization's members.
    const byAdmin = await callerAs(env.runtime, admin.sessionToken as string).projects.collaborators({
      organizationId,
      projectId: project.id,
    });
    expect(byAdmin.items.map((c) => c.id)).toEqual(expect.arrayContaining([colleague.userId, viewer.userId]));
    await expect(
      callerAs(env.runtime, owner.key).projects.collaborators({ organizationId, projectId: project.id }),
    ).resolves.toBeTruthy();
  });
});
