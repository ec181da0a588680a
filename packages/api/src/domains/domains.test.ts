// Verified domains (issue 28) on real PostgreSQL, proven through a DNS server of the test's own on
// loopback (dns2), which answers the TXT records the test publishes.
import { createServer, Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerAs,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';
import { uniqueKey } from '../testing/matrix.js';
import { normalizeDomain } from './normalize.js';
import { reverifyDomains, verifiedDomainOf } from './service.js';

/** What the test's DNS server answers: TXT records by name, or SERVFAIL for every question. */
const txt = new Map<string, string[]>();
let servfail = false;
const dnsServers: string[] = [];
const dns = createServer({
  udp: true,
  handle: (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const name = request.questions[0]?.name ?? '';
    if (servfail) response.header.rcode = 2;
    else {
      for (const value of txt.get(name.toLowerCase()) ?? []) {
        response.answers.push({
          name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 1,
          data: value,
        } as unknown as (typeof response.answers)[number]);
      }
    }
    send(response);
  },
});
beforeAll(async () => {
  const addresses = await dns.listen({ udp: { port: 0, address: '127.0.0.1' } });
  dnsServers.push(`127.0.0.1:${addresses.udp?.port}`);
});
afterAll(() => dns.close());

const env = useTestRuntime({ dnsServers });
const orm = () => env.db.orm;
const as = (key: string) => callerAs(env.runtime, key);

const publish = (domain: { txtName: string; txtValue: string }) =>
  txt.set(domain.txtName, [...(txt.get(domain.txtName) ?? []), domain.txtValue]);
const newDomain = () => `${uniqueKey()}.example.com`;

async function auditOf(organizationId: string, action: string) {
  return orm()
    .em.fork()
    .execute<{ actor_type: string; target_id: string; changes: Record<string, unknown> }[]>(
      'select actor_type, target_id, changes from audit_events where organization_id = ? and action = ? order by id',
      [organizationId, action],
    );
}

describe('domain names', () => {
  it('are normalized: lowercase, punycode, no trailing dot', () => {
    expect(normalizeDomain(' Acme.COM. ')).toBe('acme.com');
    expect(normalizeDomain('münchen.de')).toBe('xn--mnchen-3ya.de');
    expect(normalizeDomain('eng.acme.co.uk')).toBe('eng.acme.co.uk');
    expect(normalizeDomain('acme.github.io')).toBe('acme.github.io');
  });

  it.each([
    'com',
    'co.uk',
    'github.io',
    'localhost',
    '10.0.0.1',
    '[::1]',
    'acme.com/path',
    'http://acme.com',
    'me@acme.com',
    '*.acme.com',
    'a..acme.com',
    '-acme.com',
    'under_score.com',
    'exa mple.com',
    `${'a'.repeat(64)}.com`,
    `${'abcdefghi.'.repeat(26)}com`,
  ])('refuse %s (BAD_REQUEST on the domain field)', async (domain) => {
    const owner = await ownerWithKey(orm());
    const error = await rejectionOf(
      as(owner.key).organizations.domains.add({ organizationId: owner.organizationId, domain }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const issues = (error.cause as { issues?: { path: PropertyKey[] }[] }).issues ?? [];
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['domain']);
  });
});

describe('organizations.domains', () => {
  it('adds a pending claim with the TXT record to publish, normalized, and audited', async () => {
    const owner = await ownerWithKey(orm());
    const name = newDomain();
    const added = await as(owner.key).organizations.domains.add({
      organizationId: owner.organizationId,
      domain: ` ${name.toUpperCase()}. `,
    });
    expect(added).toMatchObject({
      domain: name,
      status: 'pending',
      txtName: `_gatehouse-challenge.${name}`,
      organizationId: owner.organizationId,
      verifiedAt: null,
    });
    expect(added.id).toMatch(/^dom_[0-9a-z]{26}$/);
    expect(added.txtValue).toMatch(/^gatehouse-domain-verification=[A-Za-z0-9_-]{32}$/);
    expect(await auditOf(owner.organizationId, 'domain.added')).toEqual([
      { actor_type: 'apiKey', target_id: added.id, changes: { domain: { from: null, to: name } } },
    ]);
    // Once per organization, however it is written.
    expect(
      await refusalOf(
        as(owner.key).organizations.domains.add({ organizationId: owner.organizationId, domain: `${name}.` }),
      ),
    ).toBe('CONFLICT:CONFLICT');
  });

  it('verifies a claim only when its TXT record is published, saying why not', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key).organizations.domains;
    const added = await c.add({ organizationId: owner.organizationId, domain: newDomain() });
    const ref = { organizationId: owner.organizationId, domainId: added.id };

    const missing = await rejectionOf(c.verify(ref));
    expect(`${missing.code}:${(missing.cause as { reason?: string }).reason}`).toBe('BAD_REQUEST:DOMAIN_NOT_VERIFIED');
    expect(missing.message).toContain(`no TXT record at ${added.txtName}`);

    txt.set(added.txtName, ['gatehouse-domain-verification=someone-elses']);
    const wrong = await rejectionOf(c.verify(ref));
    expect(wrong.message).toContain('do not include');
    expect((await c.list({ organizationId: owner.organizationId })).items[0]?.status).toBe('pending');

    publish(added);
    const verified = await c.verify(ref);
    expect(verified).toMatchObject({ id: added.id, status: 'verified' });
    expect(verified.verifiedAt).toBeInstanceOf(Date);
    // Verifying again answers as it is, and audits nothing more.
    expect((await c.verify(ref)).status).toBe('verified');
    expect(await auditOf(owner.organizationId, 'domain.verified')).toEqual([
      { actor_type: 'apiKey', target_id: added.id, changes: { status: { from: 'pending', to: 'verified' } } },
    ]);
  });

  it('answers a DNS failure as DOMAIN_NOT_VERIFIED with the reason, never a 500', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key).organizations.domains;
    const added = await c.add({ organizationId: owner.organizationId, domain: newDomain() });
    publish(added);
    const ref = { organizationId: owner.organizationId, domainId: added.id };
    servfail = true;
    try {
      const failed = await rejectionOf(c.verify(ref));
      expect(`${failed.code}:${(failed.cause as { reason?: string }).reason}`).toBe('BAD_REQUEST:DOMAIN_NOT_VERIFIED');
      expect(failed.message).toContain('ESERVFAIL');
    } finally {
      servfail = false;
    }
    // A resolver that does not answer at all (a closed port).
    const [server] = dnsServers.splice(0, 1, '127.0.0.1:9');
    try {
      expect(await refusalOf(c.verify(ref))).toBe('BAD_REQUEST:DOMAIN_NOT_VERIFIED');
    } finally {
      dnsServers.splice(0, 1, server as string);
    }
    expect((await c.verify(ref)).status).toBe('verified');
  });

  it('lets several organizations claim a domain, and exactly one verify it when they race', async () => {
    for (let round = 0; round < 4; round++) {
      const a = await ownerWithKey(orm());
      const b = await ownerWithKey(orm());
      const name = newDomain();
      const [da, db] = await Promise.all(
        [a, b].map((o) => as(o.key).organizations.domains.add({ organizationId: o.organizationId, domain: name })),
      );
      publish(da as { txtName: string; txtValue: string });
      publish(db as { txtName: string; txtValue: string });
      const outcomes = await Promise.all(
        [
          [a, da],
          [b, db],
        ].map(([o, d]) =>
          as((o as { key: string }).key)
            .organizations.domains.verify({
              organizationId: (o as { organizationId: string }).organizationId,
              domainId: (d as { id: string }).id,
            })
            .then(
              () => 'OK',
              (e: { code: string; cause?: { reason?: string } }) => `${e.code}:${e.cause?.reason}`,
            ),
        ),
      );
      expect(outcomes.sort()).toEqual(['CONFLICT:DOMAIN_TAKEN', 'OK']);
      const rows = await orm()
        .em.fork()
        .execute<{ status: string }[]>(`select status from domains where domain = ? and status = 'verified'`, [name]);
      expect(rows).toHaveLength(1);
    }
  });

  it('frees a domain for another organization once its holder removes it (audited)', async () => {
    const a = await ownerWithKey(orm());
    const b = await ownerWithKey(orm());
    const name = newDomain();
    const da = await as(a.key).organizations.domains.add({ organizationId: a.organizationId, domain: name });
    const db = await as(b.key).organizations.domains.add({ organizationId: b.organizationId, domain: name });
    publish(da);
    publish(db);
    await as(a.key).organizations.domains.verify({ organizationId: a.organizationId, domainId: da.id });
    expect(
      await refusalOf(as(b.key).organizations.domains.verify({ organizationId: b.organizationId, domainId: db.id })),
    ).toBe('CONFLICT:DOMAIN_TAKEN');
    expect(await as(a.key).organizations.domains.remove({ organizationId: a.organizationId, domainId: da.id })).toEqual(
      { id: da.id, deleted: true },
    );
    expect(await auditOf(a.organizationId, 'domain.removed')).toEqual([
      {
        actor_type: 'apiKey',
        target_id: da.id,
        changes: { domain: { from: name, to: null }, status: { from: 'verified', to: null } },
      },
    ]);
    expect(
      await refusalOf(as(a.key).organizations.domains.remove({ organizationId: a.organizationId, domainId: da.id })),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(
      (await as(b.key).organizations.domains.verify({ organizationId: b.organizationId, domainId: db.id })).status,
    ).toBe('verified');
  });

  it('lists the organization’s domains a page at a time', async () => {
    const owner = await ownerWithKey(orm());
    const c = as(owner.key).organizations.domains;
    const names = [newDomain(), newDomain(), newDomain()];
    for (const domain of names) await c.add({ organizationId: owner.organizationId, domain });
    const first = await c.list({ organizationId: owner.organizationId, limit: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await c.list({
      organizationId: owner.organizationId,
      limit: 2,
      cursor: first.pageInfo.endCursor as string,
    });
    expect([...first.items, ...second.items].map((d) => d.domain)).toEqual(names);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(await refusalOf(c.list({ organizationId: owner.organizationId, cursor: 'forged.cursor' }))).toBe(
      'BAD_REQUEST:INVALID_CURSOR',
    );
  });
});

describe('verifiedDomainOf (for just-in-time provisioning)', () => {
  it('names only a verified domain of that organization that the email is on', async () => {
    const owner = await ownerWithKey(orm());
    const other = await ownerWithKey(orm());
    const c = as(owner.key).organizations.domains;
    const verified = await c.add({ organizationId: owner.organizationId, domain: newDomain() });
    const pending = await c.add({ organizationId: owner.organizationId, domain: newDomain() });
    publish(verified);
    await c.verify({ organizationId: owner.organizationId, domainId: verified.id });
    const em = orm().em.fork();
    expect(await verifiedDomainOf(em, owner.organizationId, `Ada@${verified.domain.toUpperCase()}`)).toBe(
      verified.domain,
    );
    expect(await verifiedDomainOf(em, owner.organizationId, `ada@${pending.domain}`)).toBeNull();
    expect(await verifiedDomainOf(em, owner.organizationId, `ada@eng.${verified.domain}`)).toBeNull();
    expect(await verifiedDomainOf(em, owner.organizationId, `ada@${verified.domain}.evil.com`)).toBeNull();
    expect(await verifiedDomainOf(em, other.organizationId, `ada@${verified.domain}`)).toBeNull();
    expect(await verifiedDomainOf(em, owner.organizationId, 'no-at-sign')).toBeNull();
  });
});

describe('re-verification', () => {
  const HOUR = 3600_000;

  async function verifiedDomain() {
    const owner = await ownerWithKey(orm());
    const added = await as(owner.key).organizations.domains.add({
      organizationId: owner.organizationId,
      domain: newDomain(),
    });
    publish(added);
    await as(owner.key).organizations.domains.verify({ organizationId: owner.organizationId, domainId: added.id });
    return { owner, added };
  }
  /** Moves the domain's last confirmation back by `ms` (time moves in the database). */
  const backdate = (domainId: string, ms: number) =>
    orm()
      .em.fork()
      .execute(`update domains set checked_at = checked_at - (? * interval '1 millisecond') where id = ?`, [
        ms,
        domainId,
      ]);
  const statusOf = async (domainId: string) =>
    (
      await orm()
        .em.fork()
        .execute<{ status: string; check_error: string | null }[]>(
          'select status, check_error from domains where id = ?',
          [domainId],
        )
    )[0];
  const run = () => reverifyDomains(env.runtime, new Date());

  it('confirms a domain whose record is still there, and leaves one not yet due alone', async () => {
    const due = await verifiedDomain();
    const fresh = await verifiedDomain();
    txt.delete(fresh.added.txtName); // not asked: it is not due
    await backdate(due.added.id, 25 * HOUR);
    await run();
    expect(await statusOf(due.added.id)).toEqual({ status: 'verified', check_error: null });
    expect(await statusOf(fresh.added.id)).toEqual({ status: 'verified', check_error: null });
    const [row] = await orm()
      .em.fork()
      .execute<{ age: number }[]>(
        `select extract(epoch from now() - checked_at)::int as age from domains where id = ?`,
        [due.added.id],
      );
    expect(row?.age).toBeLessThan(60);
  });

  it('lapses a domain whose record is gone: failed, audited by the system, no longer provisioning', async () => {
    const { owner, added } = await verifiedDomain();
    const em = orm().em.fork();
    expect(await verifiedDomainOf(em, owner.organizationId, `ada@${added.domain}`)).toBe(added.domain);
    txt.delete(added.txtName);
    await backdate(added.id, 25 * HOUR);
    await run();
    expect((await statusOf(added.id))?.status).toBe('failed');
    expect(await verifiedDomainOf(em, owner.organizationId, `ada@${added.domain}`)).toBeNull();
    const [lapsed] = await auditOf(owner.organizationId, 'domain.lapsed');
    expect(lapsed).toMatchObject({
      actor_type: 'system',
      target_id: added.id,
      changes: { status: { from: 'verified', to: 'failed' } },
    });
    const listed = await as(owner.key).organizations.domains.list({ organizationId: owner.organizationId });
    expect(listed.items.map((d) => d.status)).toEqual(['failed']);
    // Published again, it verifies again.
    publish(added);
    expect(
      (await as(owner.key).organizations.domains.verify({ organizationId: owner.organizationId, domainId: added.id }))
        .status,
    ).toBe('verified');
  });

  it('keeps a domain through a DNS outage within the grace period, and lapses it after', async () => {
    const { added } = await verifiedDomain();
    await backdate(added.id, 25 * HOUR);
    servfail = true;
    try {
      await run();
      expect(await statusOf(added.id)).toMatchObject({ status: 'verified' });
      expect((await statusOf(added.id))?.check_error).toContain('ESERVFAIL');
      await backdate(added.id, 48 * HOUR); // 73 hours since DNS last confirmed it
      await run();
      expect((await statusOf(added.id))?.status).toBe('failed');
    } finally {
      servfail = false;
    }
  });

  it('is run by the runtime on its interval', async () => {
    const { owner, added } = await verifiedDomain();
    txt.delete(added.txtName);
    await backdate(added.id, 25 * HOUR);
    const runtime = await startTestRuntime(env.db, { dnsServers, reverifyDomainsEveryMs: 20 });
    try {
      // The runtime's timer does it; what it did is read from the table.
      const deadline = Date.now() + 5000;
      while ((await statusOf(added.id))?.status !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await runtime.stop();
    }
    expect((await statusOf(added.id))?.status).toBe('failed');
    expect(await auditOf(owner.organizationId, 'domain.lapsed')).toHaveLength(1);
  });
});
