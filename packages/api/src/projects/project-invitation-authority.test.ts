// A project invitation is valid only while its inviter could still issue it (contract: authority ends with the inviter's).
import { describe, expect, it } from 'vitest';
import {
  bearer,
  callerFor,
  invitationToken,
  ownerWithKey,
  rejectionOf,
  useMailTestRuntime,
} from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useMailTestRuntime();
const as = (credential?: string) => callerFor(env.runtime, credential ? bearer(credential) : {});
const PASSWORD = 'violet-Tapir-74-orbit';

const tokenFromMail = (to: string) => invitationToken(env.smtp, to);

describe('project invitations and the inviter’s authority', () => {
  it('are refused once the inviter no longer holds the project role they invited to', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await as(owner.key).projects.create({ organizationId, name: 'Engine' });
    // Members:invite on the organization, and nothing on projects but what a binding gives.
    const role = await as(owner.key).roles.create({
      organizationId,
      key: `recruiter-${Date.now()}`,
      name: 'Recruiter',
      permissions: ['members:read', 'members:invite'],
    });
    const [inviter] = (await seedAccounts(env.db.orm, [
      { memberOf: { organizationId, role: role.key }, key: { organizationId, scopes: null } },
    ])) as [SeededAccount];
    await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      userId: inviter.userId,
      role: 'project_admin',
    });
    const email = `outsider-${Date.now()}@example.com`;
    await expect(
      as(inviter.key as string).projects.addCollaborator({
        organizationId,
        projectId: project.id,
        email,
        role: 'project_admin',
      }),
    ).resolves.toMatchObject({ status: 'invited' });
    const token = await tokenFromMail(email);

    // The inviter's project role goes: what they could grant on the project goes with it.
    await as(owner.key).projects.removeCollaborator({ organizationId, projectId: project.id, userId: inviter.userId });

    const refused = await rejectionOf(as().invitations.accept({ token, password: PASSWORD }));
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
    const project = await as(owner.key).projects.create({ organizationId, name: 'Kept' });
    const email = `kept-${Date.now()}@example.com`;
    await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_admin',
    });
    const accepted = await as().invitations.accept({ token: await tokenFromMail(email), password: PASSWORD });
    expect(accepted).toMatchObject({ organizationId, role: 'project_admin' });
  });
});
