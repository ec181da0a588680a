// What an external collaborator (no membership) can learn of the organization through a project (issue 15).

import { newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, rejectionOf, uniqueEmail, useTestRuntime } from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useTestRuntime();
const orm = () => env.db.orm;
const reason = (error: { cause?: unknown }) => (error.cause as { reason?: string } | undefined)?.reason;

describe('an external project admin', () => {
  it('cannot tell who is a member of the organization by naming them as a collaborator', async () => {
    const owner = await ownerWithKey(orm());
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Shared' });
    const [alice, guest] = (await seedAccounts(orm(), [
      { memberOf: { organizationId, role: 'viewer' }, name: 'Alice Secret' },
      { session: true, primaryOrganizationId: null },
    ])) as [SeededAccount, SeededAccount];
    await orm()
      .em.fork()
      .execute(
        `insert into role_bindings (id, organization_id, user_id, project_id, role, created_at, updated_at)
         values (?, ?, ?, ?, 'project_admin', now(), now())`,
        [newId('rbd'), organizationId, guest.userId, project.id],
      );
    const external = callerAs(env.runtime, guest.sessionToken as string);
    // The organization's members are none of their business.
    expect((await rejectionOf(external.organizations.members({ organizationId }))).code).toBe('NOT_FOUND');

    // By email: a member's address answers exactly as an address nobody has.
    const unknown = await rejectionOf(
      external.projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: uniqueEmail('nobody'),
        role: 'project_viewer',
      }),
    );
    const member = await rejectionOf(
      external.projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: alice.email,
        role: 'project_viewer',
      }),
    );
    expect([member.code, reason(member), member.message]).toEqual([unknown.code, reason(unknown), unknown.message]);
    expect([member.code, reason(member)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    // By id: a member's id answers exactly as an id nobody has.
    const byId = await rejectionOf(
      external.projects.addCollaborator({
        organizationId,
        projectId: project.id,
        userId: alice.userId,
        role: 'project_viewer',
      }),
    );
    expect([byId.code, reason(byId), byId.message]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'User not found']);

    // Nothing happened.
    const rows = await orm()
      .em.fork()
      .execute<{ n: number }[]>('select count(*)::int as n from role_bindings where user_id = ?', [alice.userId]);
    expect(rows[0]?.n).toBe(0);

    // A collaborator already on the project stays theirs to manage (projects.collaborators shows them).
    await callerAs(env.runtime, owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      userId: alice.userId,
      role: 'project_viewer',
    });
    await expect(
      external.projects.addCollaborator({
        organizationId,
        projectId: project.id,
        userId: alice.userId,
        role: 'project_editor',
      }),
    ).resolves.toMatchObject({ id: alice.userId, role: 'project_editor' });
  });
});
