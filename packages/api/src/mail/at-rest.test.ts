// No live secret at rest: every row of every table, read raw, holds none of the credentials just handed
// out or mailed (reset, verification and invitation links while their mail waits in the outbox and once
// it is sent; sessions, API keys, service account secrets, generated passwords). Where a table keeps
// one, it keeps its SHA-256.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/crypto.js';
import {
  bearer,
  callerFor,
  invitationToken,
  ownerWithKey,
  sessionFor,
  tokenOf,
  useMailTestRuntime,
} from '../testing/fixtures.js';

// The mail stays queued until the test has read the tables; then the test delivers it (drain).
const env = useMailTestRuntime({ queue: { sender: undefined, run: false } });

/** Every row of every table, as PostgreSQL prints it. */
async function everyRow(): Promise<string> {
  const em = env.db.orm.em.fork();
  // Ours, and the job queue's (a mail's job is there while it waits).
  const tables = await em.execute<{ schema: string; name: string }[]>(
    `select schemaname as schema, tablename as name from pg_tables
      where schemaname in (current_schema(), 'graphile_worker')`,
  );
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['outbox_messages', '_private_jobs']));
  const rows: string[] = [];
  for (const { schema, name } of tables) {
    for (const { row } of await em.execute<{ row: string }[]>(`select t::text as row from "${schema}"."${name}" t`)) {
      rows.push(`${name} ${row}`);
    }
  }
  return rows.join('\n');
}

const linkToken = (text: string, path: string) => new RegExp(`${path}\\?token=([0-9A-Za-z]+)`).exec(text)?.[1];

describe('secrets at rest', () => {
  it('no table holds a live token, while its mail is queued or once it is sent', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerFor(env.runtime, bearer(owner.key));
    const anon = callerFor(env.runtime);
    const email = 'at-rest@example.com';
    const { sessionToken } = tokenOf(
      await anon.auth.signup({ email, password: 'a sturdy passphrase 42', name: 'At Rest' }),
    );
    await anon.auth.requestPasswordReset({ email });
    await gh.organizations.invite({ organizationId: owner.organizationId, email: 'invitee@example.com' });
    // Only a person signed in is shown a password it generated for someone else.
    const person = callerFor(env.runtime, bearer(await sessionFor(env.db.orm, owner.userId)));
    const { generatedPassword } = await person.users.create({ email: 'made@example.com', name: 'Made' });
    expect(generatedPassword).toMatch(/.{12,}/);
    const sa = await gh.serviceAccounts.create({
      organizationId: owner.organizationId,
      name: 'worker',
      role: 'member',
    });
    const { clientSecret } = await gh.serviceAccounts.credentials.create({
      organizationId: owner.organizationId,
      serviceAccountId: sa.id,
      name: 'ci',
    });

    const queued = await everyRow();
    const pending = queued.split('\n').filter((r) => r.startsWith('outbox_messages') && r.includes(',pending,'));
    expect(pending.map((r) => /,(email_verification|password_reset|invitation),/.exec(r)?.[1]).sort()).toEqual([
      'email_verification',
      'invitation',
      'password_reset',
    ]);

    expect(await env.runtime.queue.drain()).toBe(3);
    const sent = await everyRow();
    const mailTo = (to: string, path: string) =>
      env.smtp.waitFor((m) => m.to.includes(to) && linkToken(m.text, path) !== undefined);
    const reset = linkToken((await mailTo(email, 'reset-password')).text, 'reset-password') as string;
    const verify = linkToken((await mailTo(email, 'verify-email')).text, 'verify-email') as string;
    const invitation = await invitationToken(env.smtp, 'invitee@example.com');
    const secrets = {
      reset,
      verify,
      invitation,
      sessionToken,
      apiKeySecret: owner.key.split('_')[2] as string,
      generatedPassword: generatedPassword as string,
      clientSecret,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThanOrEqual(24);
      expect(queued.includes(secret), `${name} queued`).toBe(false);
      expect(sent.includes(secret), `${name} sent`).toBe(false);
    }
    // What is kept is the hash, in the tables read above.
    for (const token of [reset, verify, invitation, sessionToken]) expect(sent).toContain(sha256Hex(token));
    // And they were the live tokens.
    await callerFor(env.runtime, bearer(sessionToken)).auth.verifyEmail({ token: verify });
    await anon.auth.resetPassword({ token: reset, newPassword: 'a brand new passphrase' });
  });
});
