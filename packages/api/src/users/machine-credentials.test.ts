// Only a person signed in chooses, or is handed, a way into someone else's account. A key or a service
// account's token (from POST /oauth/token) creates accounts without a password: their person is mailed a
// link to choose one. Each case runs through real credentials of every kind.
import { User } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import type { ReceivedMail } from '../testing/fixtures.js';
import {
  callerAs,
  ownerWithKey,
  rejectionOf,
  sessionFor,
  uniqueEmail,
  useMailTestRuntime,
} from '../testing/fixtures.js';
import { handleTokenRequest } from '../tokens/http.js';

const env = useMailTestRuntime();
const refusal = async (p: Promise<unknown>) => {
  const error = await rejectionOf(p);
  return `${error.code}:${(error.cause as { reason?: string } | undefined)?.reason ?? error.code}`;
};

const PASSWORD = 'chosen-by-the-Machine-42';

type Kind = 'session' | 'apiKey' | 'serviceAccount';
const MACHINES: Kind[] = ['apiKey', 'serviceAccount'];

/** An organization and one credential of `kind` in it, able to invite (an owner, or an admin service account). */
async function credentialOf(kind: Kind) {
  const owner = await ownerWithKey(env.db.orm);
  if (kind === 'apiKey') return { owner, credential: owner.key };
  if (kind === 'session') return { owner, credential: await sessionFor(env.db.orm, owner.userId) };
  const gh = callerAs(env.runtime, owner.key);
  const sa = await gh.serviceAccounts.create({
    organizationId: owner.organizationId,
    name: 'provisioner',
    role: 'admin',
  });
  const { clientId, clientSecret } = await gh.serviceAccounts.credentials.create({
    organizationId: owner.organizationId,
    serviceAccountId: sa.id,
  });
  // POST /oauth/token, as the HTTP server answers it.
  const response = await handleTokenRequest(
    env.runtime,
    new Request('http://gatehouse.test/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    }),
    '127.0.0.1',
  );
  const { access_token } = (await response.json()) as { access_token: string };
  return { owner, credential: access_token };
}

const account = (email: string) => env.db.orm.em.fork().findOne(User, { email });
const mailTo = (email: string, after: number) =>
  env.smtp.waitFor((m) => m.to.includes(email) && env.smtp.messages.indexOf(m) >= after);
const resetToken = (mail: ReceivedMail) => /reset-password\?token=(\w+)/.exec(mail.text)?.[1] as string;
const queuedFor = (emails: string[]) =>
  env.db.orm.em
    .fork()
    .execute('select kind from outbox_messages where to_address in (select jsonb_array_elements_text(?::jsonb))', [
      JSON.stringify(emails),
    ]);
const signsIn = (email: string, password: string) =>
  callerAs(env.runtime)
    .auth.login({ email, password })
    .then(
      () => true,
      () => false,
    );

describe('users.create', () => {
  it.each(MACHINES)('%s: choosing a password is FORBIDDEN SESSION_ONLY, and nothing is created', async (kind) => {
    const { credential } = await credentialOf(kind);
    const email = uniqueEmail();
    expect(
      await refusal(callerAs(env.runtime, credential).users.create({ email, name: 'Ada', password: PASSWORD })),
    ).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await account(email)).toBeNull();
  });

  it.each(MACHINES)(
    '%s: the account gets no password the caller sees; its person is mailed a link to choose one',
    async (kind) => {
      const { owner, credential } = await credentialOf(kind);
      const email = uniqueEmail();
      const before = env.smtp.messages.length;
      const created = await callerAs(env.runtime, credential).users.create({ email, name: 'Ada', role: 'member' });
      expect(created).toMatchObject({ email, status: 'active', managedBy: owner.organizationId });
      expect(created).not.toHaveProperty('generatedPassword');
      expect(await env.db.orm.em.fork().execute('select password_hash from users where email = ?', [email])).toEqual([
        { password_hash: null },
      ]);

      const mail = await mailTo(email, before);
      expect(mail.subject).toContain('account on Gatehouse');
      expect(mail.text).toContain('Choose your password here:');
      // Only the mail's reader sets it: then, and only then, the account signs in, its address proven.
      await callerAs(env.runtime).auth.resetPassword({
        token: resetToken(mail),
        newPassword: 'the Person-own-choice-7',
      });
      expect(await signsIn(email, 'the Person-own-choice-7')).toBe(true);
      expect(await account(email)).toMatchObject({ emailVerified: true, status: 'active' });
    },
  );

  it('session: a person signed in may choose the password, or be shown a generated one', async () => {
    const { credential } = await credentialOf('session');
    const chosen = uniqueEmail();
    await callerAs(env.runtime, credential).users.create({ email: chosen, name: 'Ada', password: PASSWORD });
    expect(await signsIn(chosen, PASSWORD)).toBe(true);
    const generated = await callerAs(env.runtime, credential).users.create({ email: uniqueEmail(), name: 'Bob' });
    expect(await signsIn(generated.email, generated.generatedPassword as string)).toBe(true);
    // Neither was mailed anything (mail is queued in the creating transaction, or never).
    expect(await queuedFor([chosen, generated.email])).toEqual([]);
  });

  it('apiKey: sendInviteEmail still works; serviceAccount: invitations are USER_ONLY, as everywhere', async () => {
    const key = await credentialOf('apiKey');
    const invited = await callerAs(env.runtime, key.credential).users.create({
      email: uniqueEmail(),
      name: 'Ada',
      sendInviteEmail: true,
    });
    expect(invited.status).toBe('invited');
    const sa = await credentialOf('serviceAccount');
    expect(
      await refusal(
        callerAs(env.runtime, sa.credential).users.create({ email: uniqueEmail(), name: 'Ada', sendInviteEmail: true }),
      ),
    ).toBe('FORBIDDEN:USER_ONLY');
  });
});

describe('users.preRegister', () => {
  it('apiKey: never shown the links; every new account is mailed its invitation, and turning that off is SESSION_ONLY', async () => {
    const { credential } = await credentialOf('apiKey');
    const quiet = uniqueEmail();
    expect(
      await refusal(callerAs(env.runtime, credential).users.preRegister({ emails: [quiet], sendInviteEmail: false })),
    ).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await account(quiet)).toBeNull();

    const email = uniqueEmail();
    const before = env.smtp.messages.length;
    const dry = await callerAs(env.runtime, credential).users.preRegister({ emails: [email], dryRun: true });
    expect(dry.results[0]).toMatchObject({ outcome: 'invited', acceptInviteUrl: null });
    const result = await callerAs(env.runtime, credential).users.preRegister({ emails: [email] });
    expect(result.results[0]).toMatchObject({ outcome: 'invited', acceptInviteUrl: null, userId: expect.any(String) });
    const mail = await mailTo(email, before);
    expect(JSON.stringify(result)).not.toContain(/token=(\w+)/.exec(mail.text)?.[1]);
  });

  it('serviceAccount: new accounts are USER_ONLY (an invitation needs a person as its inviter)', async () => {
    const { credential } = await credentialOf('serviceAccount');
    const email = uniqueEmail();
    expect(await refusal(callerAs(env.runtime, credential).users.preRegister({ emails: [email] }))).toBe(
      'FORBIDDEN:USER_ONLY',
    );
    expect(
      await refusal(callerAs(env.runtime, credential).users.preRegister({ emails: [email], sendInviteEmail: false })),
    ).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await account(email)).toBeNull();
  });

  it('session: shown the link to deliver, and nothing is mailed unless asked', async () => {
    const { credential } = await credentialOf('session');
    const result = await callerAs(env.runtime, credential).users.preRegister({ emails: [uniqueEmail()] });
    expect(result.results[0]).toMatchObject({
      outcome: 'created',
      acceptInviteUrl: expect.stringMatching(/\/invitations\/accept\?token=ghi_/),
    });
  });
});

describe('organizations.invite', () => {
  it('sets no password and hands no link to anyone: the token goes by mail only; a service account is USER_ONLY', async () => {
    const { owner, credential } = await credentialOf('apiKey');
    const email = uniqueEmail();
    const before = env.smtp.messages.length;
    const invitation = await callerAs(env.runtime, credential).organizations.invite({
      organizationId: owner.organizationId,
      email,
    });
    const token = /token=(\w+)/.exec((await mailTo(email, before)).text)?.[1] as string;
    expect(JSON.stringify(invitation)).not.toContain(token);
    // An invitation carries no password.
    const withPassword = { organizationId: owner.organizationId, email: uniqueEmail(), password: PASSWORD };
    expect(await refusal(callerAs(env.runtime, credential).organizations.invite(withPassword))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    const sa = await credentialOf('serviceAccount');
    expect(
      await refusal(
        callerAs(env.runtime, sa.credential).organizations.invite({
          organizationId: sa.owner.organizationId,
          email: uniqueEmail(),
        }),
      ),
    ).toBe('FORBIDDEN:USER_ONLY');
  });
});
