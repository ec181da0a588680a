// Outsiders named by email join a project only by their own act: a project invitation (issue 15, consent).
import { describe, expect, it } from 'vitest';
import {
  bearer,
  callerFor,
  invitationToken,
  ownerWithKey,
  rejectionOf,
  useMailTestRuntime,
} from '../testing/fixtures.js';

const env = useMailTestRuntime();
const as = (credential?: string) => callerFor(env.runtime, credential ? bearer(credential) : {});
const PASSWORD = 'violet-Tapir-74-orbit';

const tokenFromMail = (to: string) => invitationToken(env.smtp, to);

describe('project invitations', () => {
  it('invites an outsider by email, who then collaborates as an external user on that project only', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await as(owner.key).projects.create({ organizationId, name: 'Engine' });
    const other = await as(owner.key).projects.create({ organizationId, name: 'Other' });
    const email = `outsider-${Date.now()}@example.com`;
    const invited = await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_viewer',
    });
    // Nothing about the invitee is known until they accept.
    expect(invited).toMatchObject({ status: 'invited', id: null, email, external: true, role: 'project_viewer' });
    // It is no invitation to join the organization.
    const pending = await as(owner.key).organizations.listInvitations({ organizationId });
    expect(pending.items.map((i) => i.email)).not.toContain(email);

    const accepted = await as().invitations.accept({ token: await tokenFromMail(email), password: PASSWORD });
    const guest = as(accepted.sessionToken as string);
    expect((await guest.projects.list({ organizationId })).items.map((p) => p.id)).toEqual([project.id]);
    expect((await rejectionOf(guest.projects.retrieve({ organizationId, projectId: other.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await rejectionOf(guest.organizations.members({ organizationId }))).code).toBe('NOT_FOUND');
    const members = await as(owner.key).organizations.members({ organizationId });
    expect(members.items.find((m) => m.userId === accepted.userId)).toMatchObject({ external: true, email });
    const collaborators = await as(owner.key).projects.collaborators({ organizationId, projectId: project.id });
    expect(collaborators.items).toEqual([
      expect.objectContaining({ type: 'user', id: accepted.userId, status: 'active', external: true }),
    ]);
  });

  it('refuses a member without members:invite on the organization to invite outsiders', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await as(owner.key).projects.create({ organizationId, name: 'P' });
    const team = await as(owner.key).teams.list({ organizationId });
    const everyone = team.items.find((t) => t.isEveryone)?.id as string;
    await as(owner.key).teams.grantRole({
      organizationId,
      teamId: everyone,
      role: 'project_admin',
      projectId: project.id,
    });
    const { memberWithKey } = await import('../testing/fixtures.js');
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const refused = await rejectionOf(
      as(member.key).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: `x-${Date.now()}@example.com`,
        role: 'project_viewer',
      }),
    );
    expect([refused.code, (refused.cause as { reason?: string }).reason]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});
