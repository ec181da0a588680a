import { newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { transaction } from '../infra/transaction.js';
import {
  callerAs,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  seedBalance,
  seedInvitationToken,
  seedServiceAccount,
  startTestRuntime,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const em = () => env.db.orm.em.fork();

const sequences = async (organizationId: string) =>
  (
    await em().execute<{ sequence: string }[]>(
      'select sequence from events where organization_id = ? order by sequence',
      [organizationId],
    )
  ).map((r) => Number(r.sequence));

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('events', () => {
  it('are written with the changes they describe, numbered from 1 per organization', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    await gh.organizations.updateMemberRole({
      organizationId: owner.organizationId,
      userId: member.userId,
      role: 'member',
    });
    const email = uniqueEmail();
    const invitation = await gh.organizations.invite({ organizationId: owner.organizationId, email, role: 'viewer' });
    const key = await gh.auth.createKey({ name: 'ci' });
    await gh.auth.revokeKey({ keyId: key.id });

    const page = await gh.events.list({ organizationId: owner.organizationId });
    expect(page.items.map((e) => [e.sequence, e.type, e.data])).toEqual([
      [1, 'organization.member_role_changed', { userId: member.userId, from: 'viewer', to: 'member' }],
      [2, 'invitation.created', { invitationId: invitation.id, email, role: 'viewer' }],
      [3, 'api_key.created', { apiKeyId: key.id, name: 'ci', userId: owner.userId }],
      [4, 'api_key.revoked', { apiKeyId: key.id }],
    ]);
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^ev_[0-9a-z]{26}$/),
      type: 'organization.member_role_changed',
      organizationId: owner.organizationId,
      sequence: 1,
      occurredAt: expect.any(Date),
      data: expect.any(Object),
    });
    expect(page).toMatchObject({ nextAfter: 4, hasMore: false });
  });

  it('are not written when the change rolls back, and the next one takes the number back', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const caller = { em: em(), runtime: env.runtime };
    await expect(
      transaction(caller, async (_tx, after) => {
        after.emit(owner.organizationId, 'user.deactivated', { userId: member.userId });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sequences(owner.organizationId)).toEqual([]);
    // A refused change (the last owner cannot be demoted here: one cannot change one's own role) writes none either.
    expect(
      await refusalOf(
        gh.organizations.updateMemberRole({
          organizationId: owner.organizationId,
          userId: owner.userId,
          role: 'viewer',
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    await gh.users.deactivate({ userId: member.userId });
    const { items } = await gh.events.list({ organizationId: owner.organizationId });
    expect(items.map((e) => [e.sequence, e.type])).toEqual([[1, 'user.deactivated']]);
  });

  it('refuses a payload the catalogue does not declare, so nothing undeclared reaches a receiver', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const caller = { em: em(), runtime: env.runtime };
    await expect(
      transaction(caller, async (_tx, after) => {
        // @ts-expect-error: secret is not a field of api_key.created
        after.emit(owner.organizationId, 'api_key.created', { apiKeyId: 'key_x', name: 'x', userId: 'u', secret: 's' });
      }),
    ).rejects.toThrow(/secret/);
    expect(await sequences(owner.organizationId)).toEqual([]);
  });

  it('numbers 50 parallel changes of one organization 1..50: no gap, no duplicate', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const members = await Promise.all(range(25).map(() => memberWithKey(env.db.orm, owner.organizationId, 'viewer')));
    // 25 role changes and 25 invitations at once, each its own transaction racing for the counter row.
    const results = await Promise.allSettled([
      ...members.map((m) =>
        gh.organizations.updateMemberRole({ organizationId: owner.organizationId, userId: m.userId, role: 'member' }),
      ),
      ...range(25).map(() => gh.organizations.invite({ organizationId: owner.organizationId, email: uniqueEmail() })),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await sequences(owner.organizationId)).toEqual(range(50));
    // Listed the same way, page by page with `after`.
    const seen: number[] = [];
    let after = 0;
    for (let more = true; more; ) {
      const page = await gh.events.list({ organizationId: owner.organizationId, after, limit: 20 });
      seen.push(...page.items.map((e) => e.sequence));
      ({ nextAfter: after, hasMore: more } = page);
    }
    expect(seen).toEqual(range(50));
  });

  it('numbers 50 parallel transactions that share no other lock 1..50', async () => {
    // The requests above also serialize on locks of their own (the members they change, the invitation
    // budget); here the counter row alone orders the writers.
    const owner = await ownerWithKey(env.db.orm);
    const results = await Promise.allSettled(
      range(50).map((i) =>
        transaction({ em: em(), runtime: env.runtime }, async (tx, after) => {
          await tx.execute('select 1');
          after.emit(owner.organizationId, 'user.deactivated', { userId: `usr_${i}` });
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await sequences(owner.organizationId)).toEqual(range(50));
  });

  it('are emitted by removals, account creation, invitations accepted, credentials and platform deactivation', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const leaving = await memberWithKey(env.db.orm, organizationId, 'viewer');
    await gh.organizations.removeMember({ organizationId, userId: leaving.userId });
    const email = uniqueEmail();
    const created = await gh.users.create({ email, name: 'Made', role: 'viewer', sendInviteEmail: true });
    const invitation = await seedInvitationToken(env.db.orm, organizationId, owner.userId);
    const accepted = await callerAs(env.runtime).invitations.accept({
      token: invitation.token,
      name: 'Joiner',
      password: 'a sturdy passphrase 42',
    });
    const { serviceAccountId } = await seedServiceAccount(env.db.orm, organizationId);
    const credential = await gh.serviceAccounts.credentials.create({ organizationId, serviceAccountId });
    // Deactivated deployment-wide: each of its organizations hears of it.
    const other = await ownerWithKey(env.db.orm);
    const both = await memberWithKey(env.db.orm, organizationId, 'viewer');
    await env.db.orm.em
      .fork()
      .execute(
        `insert into memberships (id, organization_id, user_id, role, created_at, updated_at) values (?, ?, ?, 'viewer', now(), now())`,
        [newId('mem'), other.organizationId, both.userId],
      );
    const operator = await platformAdminWithKey(env.db.orm);
    await callerAs(env.runtime, operator.platformKey).platform.users.deactivate({ userId: both.userId });

    const { items } = await gh.events.list({ organizationId });
    expect(items.map((e) => [e.type, e.data])).toEqual([
      ['organization.member_removed', { userId: leaving.userId, role: 'viewer' }],
      ['user.created', { userId: created.id, email }],
      ['organization.member_added', { userId: created.id, role: 'viewer' }],
      ['invitation.created', { invitationId: expect.stringMatching(/^inv_/), email, role: 'viewer' }],
      ['organization.member_added', { userId: accepted.userId, role: 'viewer' }],
      ['invitation.accepted', { invitationId: invitation.id, userId: accepted.userId }],
      ['service_account.credential_created', { serviceAccountId, credentialId: credential.id }],
      ['user.deactivated', { userId: both.userId }],
    ]);
    const theirs = await callerAs(env.runtime, other.key).events.list({ organizationId: other.organizationId });
    expect(theirs.items.map((e) => [e.type, e.data])).toEqual([['user.deactivated', { userId: both.userId }]]);
  });

  it('include credits.low_balance when a debit crosses the threshold, once per crossing', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    await seedBalance(env.db.orm, organizationId, 20);
    await gh.organizations.update({ organizationId, settings: { lowBalanceThreshold: 10 } });
    for (const [amount, idempotencyKey] of [
      [11, 'a'],
      [1, 'b'],
    ] as const) {
      await gh.credits.consume({ organizationId, amount, reason: 'x', idempotencyKey });
    }
    const { items } = await gh.events.list({ organizationId, types: ['credits.low_balance'] });
    expect(items.map((e) => e.data)).toEqual([{ balance: 9, threshold: 10 }]);
  });

  it('filters by type, keeping the sequence that shows what the filter skipped', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const key = await gh.auth.createKey({ name: 'one' });
    await gh.organizations.invite({ organizationId: owner.organizationId, email: uniqueEmail() });
    await gh.auth.revokeKey({ keyId: key.id });
    const page = await gh.events.list({ organizationId: owner.organizationId, types: ['api_key.revoked'] });
    expect(page.items.map((e) => [e.sequence, e.type])).toEqual([[3, 'api_key.revoked']]);
    const rest = await gh.events.list({ organizationId: owner.organizationId, after: 1 });
    expect(rest.items.map((e) => e.sequence)).toEqual([2, 3]);
  });
});

describe('webhook deliveries, queued with the event', () => {
  const endpoint = async (organizationId: string, events: string[], enabled = true) => {
    const id = newId('whk');
    await em().execute(
      `insert into webhook_endpoints (id, organization_id, url, events, secret, enabled, created_at, updated_at)
       values (?, ?, 'http://127.0.0.1:9/hook', array(select jsonb_array_elements_text(?::jsonb)), 'sealed', ?, now(), now())`,
      [id, organizationId, JSON.stringify(events), enabled],
    );
    return id;
  };
  const jobs = async (deliveryIds: string[]) =>
    Number(
      (
        await em().execute<{ n: string }[]>(
          `select count(*) as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
            where t.identifier = 'webhook_delivery' and j.payload->>'deliveryId' in (select jsonb_array_elements_text(?::jsonb))`,
          [JSON.stringify(deliveryIds)],
        )
      )[0]?.n,
    );
  const deliveries = (organizationId: string) =>
    em().execute<{ id: string; webhook_id: string; event_id: string; status: string }[]>(
      'select id, webhook_id, event_id, status from webhook_deliveries where organization_id = ? order by id',
      [organizationId],
    );

  it('queues one delivery and one job per matching enabled endpoint, in the same transaction', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const wanted = await endpoint(owner.organizationId, ['organization.member_role_changed']);
    await endpoint(owner.organizationId, ['api_key.created']);
    await endpoint(owner.organizationId, ['organization.member_role_changed'], false);
    const gh = callerAs(env.runtime, owner.key);
    await gh.organizations.updateMemberRole({
      organizationId: owner.organizationId,
      userId: member.userId,
      role: 'member',
    });
    const [event] = (await gh.events.list({ organizationId: owner.organizationId })).items;
    const rows = await deliveries(owner.organizationId);
    expect(rows).toEqual([
      { id: expect.stringMatching(/^whd_/), webhook_id: wanted, event_id: event?.id, status: 'pending' },
    ]);
    expect(await jobs(rows.map((r) => r.id))).toBe(1);
  });

  it('queues nothing when the change rolls back', async () => {
    const owner = await ownerWithKey(env.db.orm);
    await endpoint(owner.organizationId, ['user.deactivated']);
    await expect(
      transaction({ em: em(), runtime: env.runtime }, async (_tx, after) => {
        after.emit(owner.organizationId, 'user.deactivated', { userId: 'usr_x' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await deliveries(owner.organizationId)).toEqual([]);
    expect(await sequences(owner.organizationId)).toEqual([]);
  });

  it('without the queue (the embedded database) writes the event and queues no delivery', async () => {
    const owner = await ownerWithKey(env.db.orm);
    await endpoint(owner.organizationId, ['user.deactivated']);
    // Started as the server starts it on the embedded database (its queue carries mail only).
    const runtime = await startTestRuntime(env.db, { embedded: true });
    try {
      expect(runtime.deliveries).toBe(false);
      await transaction({ em: em(), runtime }, async (_tx, after) => {
        after.emit(owner.organizationId, 'user.deactivated', { userId: 'usr_x' });
      });
    } finally {
      await runtime.stop();
    }
    expect(await sequences(owner.organizationId)).toEqual([1]);
    expect(await deliveries(owner.organizationId)).toEqual([]);
  });
});
