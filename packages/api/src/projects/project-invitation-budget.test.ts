// Project invitations are invitation mail from the organization: they spend its hourly budget too.
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime({ budgets: { invitesPerHour: 2 } });

describe('project invitations', () => {
  it('spend the organization’s invitation mail budget, as its own invitations do', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Spam' });
    const stamp = Date.now();
    for (const n of [1, 2]) {
      await callerAs(env.runtime, owner.key).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: `target-${n}-${stamp}@example.com`,
        role: 'project_viewer',
      });
    }
    const refused = await rejectionOf(
      callerAs(env.runtime, owner.key).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: `target-3-${stamp}@example.com`,
        role: 'project_viewer',
      }),
    );
    expect([refused.code, (refused.cause as { reason?: string }).reason]).toEqual([
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    // Nothing happened: no invitation, no mail queued for the third address.
    const em = env.db.orm.em.fork();
    const [invitations] = await em.execute<{ n: number }[]>(
      'select count(*)::int as n from invitations where organization_id = ? and project_id = ?',
      [organizationId, project.id],
    );
    expect(invitations?.n).toBe(2);
    // The organization's own invitations share the same budget.
    const invite = await rejectionOf(
      callerAs(env.runtime, owner.key).organizations.invite({ organizationId, email: `org-${stamp}@example.com` }),
    );
    expect((invite.cause as { reason?: string }).reason).toBe('TOO_MANY_REQUESTS');
  });
});
