import { describe, expect, it } from 'vitest';
import {
  callerAs,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  seedDelivery,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const em = () => env.db.orm.em.fork();

const storedSecret = async (webhookId: string) =>
  (await em().execute<{ secret: string }[]>('select secret from webhook_endpoints where id = ?', [webhookId]))[0]
    ?.secret as string;

describe('webhooks', () => {
  it('creates an endpoint whose secret is shown once and kept only sealed', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const created = await gh.webhooks.create({
      organizationId,
      url: 'https://hooks.example.com/in',
      events: ['organization.member_added', 'api_key.revoked', 'organization.member_added'],
      description: 'CRM sync',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^whk_[0-9a-z]{26}$/),
      organizationId,
      url: 'https://hooks.example.com/in',
      description: 'CRM sync',
      events: ['organization.member_added', 'api_key.revoked'],
      enabled: true,
      signing: 'hmac',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const sealed = await storedSecret(created.id);
    expect(sealed).not.toContain(created.secret.slice(6));
    expect(env.runtime.webhookSecrets.open(sealed, created.id)?.toString()).toBe(created.secret);
    // Bound to its row: copied onto another endpoint it does not open.
    expect(env.runtime.webhookSecrets.open(sealed, 'whk_other')).toBeNull();

    const { secret: _, ...shown } = created;
    expect(await gh.webhooks.retrieve({ organizationId, webhookId: created.id })).toEqual(shown);
    expect((await gh.webhooks.list({ organizationId })).items).toEqual([shown]);
    const trail = await gh.audit.list({ organizationId, action: 'webhook.created' });
    expect(JSON.stringify(trail.items)).not.toContain(created.secret);
  });

  it('updates and deletes, with an audit event each', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const { id: webhookId } = await gh.webhooks.create({
      organizationId,
      url: 'https://hooks.example.com/a',
      events: ['user.created'],
    });
    const updated = await gh.webhooks.update({
      organizationId,
      webhookId,
      url: 'https://hooks.example.com/b',
      enabled: false,
    });
    expect(updated).toMatchObject({ url: 'https://hooks.example.com/b', enabled: false, events: ['user.created'] });
    expect(await gh.webhooks.delete({ organizationId, webhookId })).toEqual({ id: webhookId, deleted: true });
    expect(await refusalOf(gh.webhooks.retrieve({ organizationId, webhookId }))).toBe('NOT_FOUND:NOT_FOUND');
    const trail = await gh.audit.list({ organizationId, targetId: webhookId });
    expect(trail.items.map((e) => [e.action, e.changes])).toEqual([
      ['webhook.deleted', { url: { from: 'https://hooks.example.com/b', to: null } }],
      [
        'webhook.updated',
        {
          url: { from: 'https://hooks.example.com/a', to: 'https://hooks.example.com/b' },
          enabled: { from: true, to: false },
        },
      ],
      ['webhook.created', expect.any(Object)],
    ]);
  });

  it('refuses URLs that are not http(s), carry credentials, and events outside the catalogue', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const create = (url: string, events: string[] = ['user.created']) =>
      // @ts-expect-error: events outside the catalogue are refused at run time too
      gh.webhooks.create({ organizationId, url, events });
    expect(await refusalOf(create('ftp://hooks.example.com/in'))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(create('file:///etc/passwd'))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(create('https://user:pass@hooks.example.com/in'))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(create('https://hooks.example.com/in', ['member.added']))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(create('https://hooks.example.com/in', []))).toBe('BAD_REQUEST:BAD_REQUEST');
    // A test goes only where it was asked for: nobody subscribes to others' tests.
    expect(await refusalOf(create('https://hooks.example.com/in', ['webhook.test']))).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('is closed to members and viewers, and to an admin key not scoped to webhooks', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const scoped = await memberWithKey(env.db.orm, organizationId, 'admin', ['webhooks:read']);
    expect(await refusalOf(callerAs(env.runtime, member.key).webhooks.list({ organizationId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(callerAs(env.runtime, member.key).events.list({ organizationId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    const write = callerAs(env.runtime, scoped.key).webhooks.create({
      organizationId,
      url: 'https://hooks.example.com/in',
      events: ['user.created'],
    });
    expect(await refusalOf(write)).toBe('FORBIDDEN:FORBIDDEN');
  });

  it('rotates the secret: the new one is shown once, the old one is kept sealed for 24 hours, audited', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const created = await gh.webhooks.create({
      organizationId,
      url: 'https://hooks.example.com/r',
      events: ['user.created'],
    });
    const rotated = await gh.webhooks.rotateSecret({ organizationId, webhookId: created.id });
    const [row] = await em().execute<{ secret: string; previous_secret: string }[]>(
      'select secret, previous_secret from webhook_endpoints where id = ?',
      [created.id],
    );
    expect(env.runtime.webhookSecrets.open(row?.secret as string, created.id)?.toString()).toBe(rotated.secret);
    expect(env.runtime.webhookSecrets.open(row?.previous_secret as string, created.id)?.toString()).toBe(
      created.secret,
    );
    const trail = await gh.audit.list({ organizationId, action: 'webhook.secret_rotated' });
    expect(trail.items).toHaveLength(1);
    expect(JSON.stringify(trail.items)).not.toContain(rotated.secret);
  });

  it('refuses to test a disabled endpoint', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const { organizationId } = owner;
    const { id: webhookId } = await gh.webhooks.create({
      organizationId,
      url: 'https://hooks.example.com/off',
      events: ['user.created'],
    });
    await gh.webhooks.update({ organizationId, webhookId, enabled: false });
    expect(await refusalOf(gh.webhooks.test({ organizationId, webhookId }))).toBe('CONFLICT:CONFLICT');
    expect((await gh.events.list({ organizationId })).items).toEqual([]);
  });

  it('refuses to redeliver where no queue runs (the embedded database)', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const deliveryId = await seedDelivery(env.db.orm, owner.organizationId);
    // As the server starts it on the embedded database (its queue carries mail only).
    const runtime = await startTestRuntime(env.db, { embedded: true });
    try {
      const redeliver = callerAs(runtime, owner.key).webhooks.redeliver({
        organizationId: owner.organizationId,
        deliveryId,
      });
      expect(await refusalOf(redeliver)).toBe('PRECONDITION_FAILED:DELIVERIES_DISABLED');
    } finally {
      await runtime.stop();
    }
  });
});
