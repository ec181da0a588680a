// Outsiders named by email join a project only by their own act: a project invitation (issue 15,
// consent), valid only while its inviter could still issue it, and cancellable until accepted.
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  invitationToken,
  memberWithKey,
  ownerWithKey,
  rejectionOf,
  uniqueEmail,
  useMailTestRuntime,
} from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useMailTestRuntime();
const PASSWORD = 'violet-Tapir-74-orbit';

const tokenFromMail = (to: string) => invitationToken(env.smtp, to);

describe('project invitations', () => {
  it('invites an outsider by email, who then collaborates as an external user on that project only', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Engine' });
    const other = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Other' });
    const email = uniqueEmail('outsider');
    const invited = await callerAs(env.runtime, owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_viewer',
    });
    // Nothing about the invitee is known until they accept.
    expect(invited).toMatchObject({ status: 'invited', id: null, email, external: true, role: 'project_viewer' });
    // It is no invitation to join the organization.
    const pending = await callerAs(env.runtime, owner.key).organizations.listInvitations({ organizationId });
    expect(pending.items.map((i) => i.email)).not.toContain(email);

    const accepted = await callerAs(env.runtime).invitations.accept({
      token: await tokenFromMail(email),
      password: PASSWORD,
    });
    const guest = callerAs(env.runtime, accepted.sessionToken as string);
    expect((await guest.projects.list({ organizationId })).items.map((p) => p.id)).toEqual([project.id]);
    expect((await rejectionOf(guest.projects.retrieve({ organizationId, projectId: other.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await rejectionOf(guest.organizations.members({ organizationId }))).code).toBe('NOT_FOUND');
    const members = await callerAs(env.runtime, owner.key).organizations.members({ organizationId });
    expect(members.items.find((m) => m.userId === accepted.userId)).toMatchObject({ external: true, email });
    const collaborators = await callerAs(env.runtime, owner.key).projects.collaborators({
      organizationId,
      projectId: project.id,
    });
    expect(collaborators.items).toEqual([
      expect.objectContaining({ type: 'user', id: accepted.userId, status: 'active', external: true }),
    ]);
  });

  it('refuses a member without members:invite on the organization to invite outsiders', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'P' });
    const team = await callerAs(env.runtime, owner.key).teams.list({ organizationId });
    const everyone = team.items.find((t) => t.isEveryone)?.id as string;
    await callerAs(env.runtime, owner.key).teams.grantRole({
      organizationId,
      teamId: everyone,
      role: 'project_admin',
      projectId: project.id,
    });
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const refused = await rejectionOf(
      callerAs(env.runtime, member.key).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email: uniqueEmail('x'),
        role: 'project_viewer',
      }),
    );
    expect([refused.code, (refused.cause as { reason?: string }).reason]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('project invitations and the inviter’s authority', () => {
  it('are refused once the inviter no longer holds the project role they invited to', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Engine' });
    // Members:invite on the organization, and nothing on projects but what a binding gives.
    const role = await callerAs(env.runtime, owner.key).roles.create({
      organizationId,
      key: `recruiter-${Date.now()}`,
      name: 'Recruiter',
      permissions: ['members:read', 'members:invite'],
    });
    const [inviter] = (await seedAccounts(env.db.orm, [
      { memberOf: { organizationId, role: role.key }, key: { organizationId, scopes: null } },
    ])) as [SeededAccount];
    await callerAs(env.runtime, owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      userId: inviter.userId,
      role: 'project_admin',
    });
    const email = uniqueEmail('revoked-inviter');
    await expect(
      callerAs(env.runtime, inviter.key as string).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email,
        role: 'project_admin',
      }),
    ).resolves.toMatchObject({ status: 'invited' });
    const token = await tokenFromMail(email);

    // The inviter's project role goes: what they could grant on the project goes with it.
    await callerAs(env.runtime, owner.key).projects.removeCollaborator({
      organizationId,
      projectId: project.id,
      userId: inviter.userId,
    });

    const refused = await rejectionOf(callerAs(env.runtime).invitations.accept({ token, password: PASSWORD }));
    expect([refused.code, (refused.cause as { reason?: string }).reason]).toEqual([
      'CONFLICT',
      'INVITER_LACKS_AUTHORITY',
    ]);
    // Nothing happened: no account, no binding, the invitation is cancelled.
    const em = env.db.orm.em.fork();
    const users = await em.execute<{ n: number }[]>('select count(*)::int as n from users where lower(email) = ?', [
      email,
    ]);
    expect(users[0]?.n).toBe(0);
    const bindings = await em.execute<{ role: string }[]>('select role from role_bindings where project_id = ?', [
      project.id,
    ]);
    expect(bindings).toEqual([]);
    const [invitation] = await em.execute<{ status: string }[]>(
      'select status from invitations where project_id = ? and lower(email) = ?',
      [project.id, email],
    );
    expect(invitation?.status).toBe('cancelled');
  });

  it('stay valid while the inviter holds the project role', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Kept' });
    const email = uniqueEmail('kept');
    await callerAs(env.runtime, owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_admin',
    });
    const accepted = await callerAs(env.runtime).invitations.accept({
      token: await tokenFromMail(email),
      password: PASSWORD,
    });
    expect(accepted).toMatchObject({ organizationId, role: 'project_admin' });
  });
});

describe('a project invitation sent by mistake', () => {
  it('is cancelled with organizations.cancelInvitation, and its link stops working', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await callerAs(env.runtime, owner.key).projects.create({ organizationId, name: 'Payroll' });
    const email = uniqueEmail('wrong-person');
    const invited = await callerAs(env.runtime, owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_admin',
    });
    const token = await tokenFromMail(email);
    await expect(
      callerAs(env.runtime, owner.key).organizations.cancelInvitation({
        organizationId,
        invitationId: invited.invitationId as string,
      }),
    ).resolves.toMatchObject({ id: invited.invitationId, status: 'cancelled' });

    const refused = await rejectionOf(callerAs(env.runtime).invitations.accept({ token, password: PASSWORD }));
    expect([refused.code, (refused.cause as { reason?: string }).reason]).toEqual(['CONFLICT', 'INVITATION_CANCELLED']);
    const em = env.db.orm.em.fork();
    const bindings = await em.execute<{ role: string }[]>('select role from role_bindings where project_id = ?', [
      project.id,
    ]);
    expect(bindings).toEqual([]);
    const users = await em.execute<{ n: number }[]>('select count(*)::int as n from users where lower(email) = ?', [
      email,
    ]);
    expect(users[0]?.n).toBe(0);
  });
});
