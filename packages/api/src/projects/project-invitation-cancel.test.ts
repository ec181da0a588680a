// Whoever could send a project invitation can take it back before it is accepted.
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

describe('a project invitation sent by mistake', () => {
  it('is cancelled with organizations.cancelInvitation, and its link stops working', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const project = await as(owner.key).projects.create({ organizationId, name: 'Payroll' });
    const email = `wrong-person-${Date.now()}@example.com`;
    const invited = await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      email,
      role: 'project_admin',
    });
    const token = await tokenFromMail(email);
    await expect(
      as(owner.key).organizations.cancelInvitation({ organizationId, invitationId: invited.invitationId as string }),
    ).resolves.toMatchObject({ id: invited.invitationId, status: 'cancelled' });

    const refused = await rejectionOf(as().invitations.accept({ token, password: PASSWORD }));
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
