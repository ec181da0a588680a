import { randomBytes } from 'node:crypto';
import { newId } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { record, systemActor } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller, type Runtime } from '../infra/caller.js';
import type { TxtResolver } from '../infra/dns.js';
import { systemTransaction, transaction } from '../infra/transaction.js';
import { domainOfEmail, normalizeDomain, txtNameOf } from './normalize.js';
import type { TAddDomainInput, TDomain, TDomainRef, TListDomainsInput } from './schema.js';

interface DomainRow {
  id: string;
  organization_id: string;
  domain: string;
  status: 'pending' | 'verified' | 'failed';
  token: string;
  verified_at: string | null;
  checked_at: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, organization_id, domain, status, token, verified_at, checked_at, created_at, updated_at';
const date = (value: string | null) => (value === null ? null : new Date(value));

function toDomain(row: DomainRow): TDomain {
  return {
    id: row.id,
    organizationId: row.organization_id,
    domain: row.domain,
    status: row.status,
    txtName: txtNameOf(row.domain),
    txtValue: row.token,
    verifiedAt: date(row.verified_at),
    checkedAt: date(row.checked_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

async function findDomain(em: EntityManager, organizationId: string, domainId: string): Promise<DomainRow> {
  const [row] = await em.execute<DomainRow[]>(`select ${COLUMNS} from domains where id = ? and organization_id = ?`, [
    domainId,
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Domain not found');
  return row;
}

/** What DNS says of a claim: proven, refused for good (no such record), or unknown for now (the resolver failed). */
export type TxtCheck = { ok: true } | { ok: false; definitive: boolean; why: string };

// Answers that say the record is not there, as opposed to a resolver that could not answer.
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

export async function checkTxt(dns: TxtResolver, domain: string, token: string): Promise<TxtCheck> {
  const name = txtNameOf(domain);
  try {
    const records = await dns.resolveTxt(name);
    if (records.some((value) => value.trim() === token)) return { ok: true };
    return { ok: false, definitive: true, why: `the TXT records at ${name} do not include ${token}` };
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
    return ABSENT.has(code)
      ? { ok: false, definitive: true, why: `no TXT record at ${name} (${code})` }
      : { ok: false, definitive: false, why: `DNS lookup of ${name} failed (${code}); try again` };
  }
}

export async function addDomain(caller: Caller, input: TAddDomainInput): Promise<TDomain> {
  const { organizationId } = input;
  const domain = normalizeDomain(input.domain) as string;
  const id = newId('dom');
  const token = `gatehouse-domain-verification=${randomBytes(24).toString('base64url')}`;
  await transaction(caller, async (tx) => {
    await tx.execute(
      `insert into domains (id, organization_id, domain, status, token, created_at, updated_at)
       values (?, ?, ?, 'pending', ?, now(), now())`,
      [id, organizationId, domain, token],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'domain.added',
      target: { type: 'domain', id },
      changes: { domain: { from: null, to: domain } },
    });
  }).catch((error) => {
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('CONFLICT', `${domain} is already one of this organization's domains`)
      : error;
  });
  return findDomain(caller.em, organizationId, id).then(toDomain);
}

export async function listDomains(caller: Caller, input: TListDomainsInput) {
  const { cursors } = caller.runtime;
  const scope = `domains:${input.organizationId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.execute<DomainRow[]>(
    `select ${COLUMNS} from domains where organization_id = ? ${after ? 'and id > ?' : ''} order by id limit ?`,
    [input.organizationId, ...(after ? [after] : []), input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toDomain);
}

/**
 * Checks the claim's TXT record and marks the domain verified. A domain already verified is returned
 * as it is (the periodic re-verification keeps it honest). DNS is asked outside any transaction; the
 * claim is then taken under the partial unique index, so of two organizations proving the same domain
 * at once exactly one holds it (the other: CONFLICT DOMAIN_TAKEN, which only someone who controls the
 * domain's DNS gets to see).
 */
export async function verifyDomain(caller: Caller, input: TDomainRef): Promise<TDomain> {
  const { organizationId, domainId } = input;
  const row = await findDomain(caller.em, organizationId, domainId);
  if (row.status === 'verified') return toDomain(row);
  const check = await checkTxt(caller.runtime.dns, row.domain, row.token);
  if (!check.ok) {
    throw new AppError('DOMAIN_NOT_VERIFIED', `${row.domain} is not verified: ${check.why}`, {
      txtName: txtNameOf(row.domain),
      why: check.why,
    });
  }
  await transaction(caller, async (tx) => {
    const [current] = await tx.execute<{ status: string }[]>(
      'select status from domains where id = ? and organization_id = ? for update',
      [domainId, organizationId],
    );
    // Gone meanwhile, or verified by a parallel request of the same organization (which audited it).
    if (!current || current.status === 'verified') return;
    await tx.execute(
      `update domains set status = 'verified', verified_at = now(), checked_at = now(), check_error = null, updated_at = now()
        where id = ?`,
      [domainId],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'domain.verified',
      target: { type: 'domain', id: domainId },
      changes: { status: { from: current.status, to: 'verified' } },
    });
  }).catch((error) => {
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('DOMAIN_TAKEN', `${row.domain} is verified by another organization`)
      : error;
  });
  return findDomain(caller.em, organizationId, domainId).then(toDomain);
}

export async function removeDomain(caller: Caller, input: TDomainRef): Promise<{ id: string; deleted: true }> {
  const { organizationId, domainId } = input;
  await transaction(caller, async (tx) => {
    const [removed] = await tx.execute<{ domain: string; status: string }[]>(
      'delete from domains where id = ? and organization_id = ? returning domain, status',
      [domainId, organizationId],
    );
    if (!removed) throw new AppError('NOT_FOUND', 'Domain not found');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'domain.removed',
      target: { type: 'domain', id: domainId },
      changes: { domain: { from: removed.domain, to: null }, status: { from: removed.status, to: null } },
    });
  });
  return { id: domainId, deleted: true };
}

/**
 * The organization's verified domain that `email` is on, or null: what just-in-time provisioning asks
 * before it creates anyone (a pending or failed claim proves nothing).
 */
export async function verifiedDomainOf(
  em: EntityManager,
  organizationId: string,
  email: string,
): Promise<string | null> {
  const domain = domainOfEmail(email);
  if (!domain) return null;
  const [row] = await em.execute<{ domain: string }[]>(
    `select domain from domains where organization_id = ? and domain = ? and status = 'verified'`,
    [organizationId, domain],
  );
  return row?.domain ?? null;
}

export interface ReverifyOptions {
  /** A verified domain is checked again this long after DNS last confirmed it (default 24 h). */
  dueAfterMs?: number;
  /**
   * While the resolver cannot answer, a domain stays verified this long after its last confirmation
   * (default 72 h): an outage of DNS does not lapse every domain at once; a record that is gone does.
   */
  graceMs?: number;
  /** Domains checked in one pass (default 200; the rest wait for the next). */
  batch?: number;
}

/**
 * Re-verifies the verified domains that are due at `now`. A record that is gone (or changed) lapses the
 * domain at once: status `failed`, audited as `domain.lapsed` by the system, and it stops counting for
 * provisioning. A resolver failure keeps it verified within the grace period, and lapses it after.
 */
export async function reverifyDomains(
  runtime: Pick<Runtime, 'orm' | 'dns'>,
  now: Date,
  options: ReverifyOptions = {},
): Promise<{ checked: number; confirmed: number; lapsed: number }> {
  const dueAfterMs = options.dueAfterMs ?? 24 * 3600_000;
  const graceMs = options.graceMs ?? 72 * 3600_000;
  const em = runtime.orm.em.fork();
  const due = await em.execute<DomainRow[]>(
    `select ${COLUMNS} from domains
      where status = 'verified' and coalesce(checked_at, verified_at, created_at) < ?
      order by checked_at nulls first limit ?`,
    [new Date(now.getTime() - dueAfterMs), options.batch ?? 200],
  );
  let confirmed = 0;
  let lapsed = 0;
  for (const row of due) {
    const check = await checkTxt(runtime.dns, row.domain, row.token);
    if (check.ok) {
      await em.execute(`update domains set checked_at = ?, check_error = null where id = ? and status = 'verified'`, [
        now,
        row.id,
      ]);
      confirmed++;
      continue;
    }
    const lastConfirmed = new Date(row.checked_at ?? row.verified_at ?? row.created_at).getTime();
    if (!check.definitive && now.getTime() - lastConfirmed < graceMs) {
      await em.execute(`update domains set check_error = ? where id = ? and status = 'verified'`, [
        check.why.slice(0, 255),
        row.id,
      ]);
      continue;
    }
    const done = await systemTransaction(runtime.orm, async (tx) => {
      const [updated] = await tx.execute<{ id: string }[]>(
        `update domains set status = 'failed', check_error = ?, updated_at = ? where id = ? and status = 'verified' returning id`,
        [check.why.slice(0, 255), now, row.id],
      );
      if (!updated) return false;
      record(tx, systemActor, {
        organizationId: row.organization_id,
        action: 'domain.lapsed',
        target: { type: 'domain', id: row.id },
        changes: { status: { from: 'verified', to: 'failed' }, reason: { from: null, to: check.why } },
      });
      return true;
    });
    if (done) lapsed++;
  }
  return { checked: due.length, confirmed, lapsed };
}
