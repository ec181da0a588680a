import { Invitation, newId } from '@gatehouse/db';
import { DeadlockException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { currentActor, roleOrFail } from '../access/authority.js';
import type { ResolvedRole } from '../access/roles.js';
import { defaultName, normalizeEmail } from '../accounts/email.js';
import { record } from '../core/audit.js';
import { assertHolds } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { actorOf, assertSession, bySession, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { acceptInviteUrl, inviterOf, issueInvitation } from '../invitations/issue.js';
import { inviteBudget, takeAttempt } from '../limits/budgets.js';
import { ZMemberRole } from '../roles/schema.js';
import type { TSettings } from '../settings/schema.js';
import { emailDomainAllowed, organizationSettings } from '../settings/service.js';
import { organizationOf } from './service.js';

export const preRegisterOutcomes = ['created', 'exists', 'skipped', 'invalid', 'invited', 'domainNotAllowed'] as const;
export type TPreRegisterOutcome = (typeof preRegisterOutcomes)[number];

// Each email is judged on its own (an unusable one is an `invalid` row, not a failed call), so the
// strings are only bounded here.
export const ZPreRegisterInput = z.strictObject({
  emails: z.array(z.string().max(1000)).min(1).max(1000),
  // A role key of the organization; the seed's `user` is accepted as `member`.
  role: ZMemberRole.optional(),
  /**
   * New users are emailed their invitation (a session is also shown the link as acceptInviteUrl).
   * Default: off for a session, on (and not to be turned off) for a key or a service account.
   */
  sendInviteEmail: z.boolean().optional(),
  /** An email with an account outside this organization is skipped instead of added as a member. */
  skipIfUserExists: z.boolean().optional(),
  /** Computes the outcomes and writes nothing. */
  dryRun: z.boolean().optional(),
});
export type TPreRegisterInput = z.infer<typeof ZPreRegisterInput>;

const count = z.number().int().min(0);
export const ZPreRegisterOutput = z.object({
  dryRun: z.boolean(),
  // One per input email, in input order.
  results: z.array(
    z.object({
      email: z.string(),
      // null when the email is not a usable address.
      normalizedEmail: z.string().nullable(),
      outcome: z.enum(preRegisterOutcomes),
      // The member's id; null for invalid and skipped rows, and for new users on a dry run.
      userId: z.string().nullable(),
      // For a new account, to a session only: where its owner accepts the invitation and sets a password
      // (shown once; deliver it yourself when sendInviteEmail is off). null otherwise.
      acceptInviteUrl: z.string().nullable(),
    }),
  ),
  counts: z.object({
    created: count,
    exists: count,
    skipped: count,
    invalid: count,
    invited: count,
    domainNotAllowed: count,
  }),
});
export type TPreRegisterOutput = z.infer<typeof ZPreRegisterOutput>;
type TResult = TPreRegisterOutput['results'][number];

const isEmail = (value: string) => value.length <= 254 && z.email().safeParse(value).success;

/** What a run does, worked out from the database as it stands (under the organization lock on a real run). */
interface Plan {
  settings: TSettings;
  role: ResolvedRole;
  results: TResult[];
  /** New accounts, in lower(email) order (so concurrent runs take the unique index in one order). */
  create: { index: number; id: string; email: string; name: string }[];
  /** Existing accounts the organization manages, which join it directly. */
  add: { index: number; id: string; primaryOrganizationId: string | null }[];
  /** Existing accounts it does not manage: they are invited (by mail) and join only by accepting. */
  invite: { index: number; email: string }[];
}

/**
 * The role new members get: the one asked for, else the organization's default. It must exist, the
 * caller must hold every permission it grants, and pre-registration never hands out ownership.
 */
async function roleToGrant(
  caller: Caller,
  em: EntityManager,
  organizationId: string,
  asked: string | undefined,
  settings: TSettings,
  lock: boolean,
): Promise<ResolvedRole> {
  const key = asked ?? settings.defaultRole;
  if (key === 'owner') {
    throw new AppError('FORBIDDEN', 'Pre-registration cannot make owners; transfer ownership to a member instead');
  }
  const role = await roleOrFail(em, organizationId, key);
  // Under the organization lock on a real run: the caller as they stand now.
  const actor = lock ? await currentActor(em, caller, organizationId) : caller.principal;
  assertHolds(actor, role.permissions, `grant role ${key}`);
  return role;
}

async function plan(
  caller: Caller,
  em: EntityManager,
  organizationId: string,
  input: TPreRegisterInput,
  lock: boolean,
): Promise<Plan> {
  const settings = await organizationSettings(em, organizationId, { lock });
  const role = await roleToGrant(caller, em, organizationId, input.role, settings, lock);

  const results: TResult[] = [];
  const first = new Map<string, number>(); // lower(email) → index of its first occurrence
  for (const [index, email] of input.emails.entries()) {
    const normalized = normalizeEmail(email);
    if (!isEmail(normalized)) {
      results.push({ email, normalizedEmail: null, outcome: 'invalid', userId: null, acceptInviteUrl: null });
      continue;
    }
    if (!emailDomainAllowed(settings, normalized)) {
      results.push({
        email,
        normalizedEmail: normalized,
        outcome: 'domainNotAllowed',
        userId: null,
        acceptInviteUrl: null,
      });
      continue;
    }
    const key = normalized.toLowerCase();
    // Later occurrences of an address (compared case-insensitively, as the unique index does) are skipped.
    results.push({
      email,
      normalizedEmail: normalized,
      outcome: first.has(key) ? 'skipped' : 'created',
      userId: null,
      acceptInviteUrl: null,
    });
    if (!first.has(key)) first.set(key, index);
  }

  const existing =
    first.size === 0
      ? []
      : await em.execute<
          { email: string; id: string; organization_id: string | null; member: boolean; managed: boolean }[]
        >(
          `select k.email, u.id, u.organization_id, (m.id is not null) as member,
                  coalesce(u.managed_by = ?, false) as managed
             from jsonb_array_elements_text(?::jsonb) as k(email)
             join users u on lower(u.email) = k.email
             left join memberships m on m.user_id = u.id and m.organization_id = ?`,
          [organizationId, JSON.stringify([...first.keys()]), organizationId],
        );

  const add: Plan['add'] = [];
  const invite: Plan['invite'] = [];
  for (const user of existing) {
    const index = first.get(user.email) as number;
    const result = results[index] as TResult;
    if (user.member) {
      Object.assign(result, { outcome: 'exists', userId: user.id });
    } else if (input.skipIfUserExists) {
      // No id: the account belongs to no one in this organization.
      result.outcome = 'skipped';
    } else if (user.managed) {
      Object.assign(result, { outcome: 'exists', userId: user.id });
      add.push({ index, id: user.id, primaryOrganizationId: user.organization_id });
    } else {
      // An account joins by its own act: an invitation by mail, and no id or profile until it is accepted.
      result.outcome = 'invited';
      invite.push({ index, email: result.normalizedEmail as string });
    }
  }

  const create: Plan['create'] = [];
  const newOutcome = input.sendInviteEmail ? 'invited' : 'created';
  for (const [, index] of [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const result = results[index] as TResult;
    if (result.outcome !== 'created') continue;
    result.outcome = newOutcome;
    const email = result.normalizedEmail as string;
    create.push({ index, id: newId('usr'), email, name: defaultName(email) });
  }
  return { settings, role, results, create, add, invite };
}

/** Writes a plan: a handful of statements whatever the batch size. */
async function write(
  caller: Caller,
  tx: EntityManager,
  after: AfterCommit,
  organizationId: string,
  work: Plan,
  sendEmail: boolean,
): Promise<void> {
  const { role, create, add } = work;
  const status = sendEmail ? 'invited' : 'active';
  if (create.length) {
    // No password: the account is claimed through its invitation (mailed now with sendInviteEmail, or
    // its acceptInviteUrl delivered by the caller) or a reset link; it is active once a password is set.
    // Created by the organization, so managed by it.
    await tx.execute(
      `insert into users (id, email, name, status, organization_id, managed_by, created_at, updated_at)
       select r.id, r.email, r.name, ?, ?, ?, now(), now()
         from jsonb_to_recordset(?::jsonb) as r(id text, email text, name text)`,
      [
        status,
        organizationId,
        organizationId,
        JSON.stringify(create.map(({ id, email, name }) => ({ id, email, name }))),
      ],
    );
  }
  const members = [...create, ...add];
  if (members.length) {
    await tx.execute(
      `insert into memberships (id, organization_id, user_id, role, created_at, updated_at)
       select r.id, ?, r.user_id, ?, now(), now() from jsonb_to_recordset(?::jsonb) as r(id text, user_id text)`,
      [organizationId, role.key, JSON.stringify(members.map((m) => ({ id: newId('mem'), user_id: m.id })))],
    );
  }
  const primaryless = add.filter((a) => a.primaryOrganizationId === null).map((a) => a.id);
  if (primaryless.length) {
    // The first organization an account joins becomes its primary one (as organizations.addMember does).
    await tx.execute(
      `update users set organization_id = ?, updated_at = now()
        where organization_id is null and id in (select jsonb_array_elements_text(?::jsonb))`,
      [organizationId, JSON.stringify(primaryless)],
    );
  }
  if (create.length) {
    const organizationName = organizationOf(caller).name;
    const inviter = inviterOf(caller.principal);
    for (const user of create) {
      const { token } = issueInvitation(tx, after, caller.runtime, {
        organizationId,
        organizationName,
        email: user.email,
        role: role.key,
        inviter,
        ttlDays: work.settings.invitationTtlDays,
        sendEmail,
      });
      if (bySession(caller)) {
        (work.results[user.index] as TResult).acceptInviteUrl = acceptInviteUrl(caller.runtime, token);
      }
    }
  }
  if (work.invite.length) await inviteExisting(caller, tx, after, organizationId, work);
  const actor = actorOf(caller);
  for (const user of create) {
    record(tx, actor, {
      organizationId,
      action: 'user.created',
      target: { type: 'user', id: user.id },
      changes: { email: { from: null, to: user.email }, role: { from: null, to: role.key } },
    });
    after.emit(organizationId, 'user.created', { userId: user.id, email: user.email });
    after.emit(organizationId, 'organization.member_added', { userId: user.id, role: role.key });
  }
  for (const user of add) {
    record(tx, actor, {
      organizationId,
      action: 'member.added',
      target: { type: 'user', id: user.id },
      changes: { role: { from: null, to: role.key } },
    });
    after.emit(organizationId, 'organization.member_added', { userId: user.id, role: role.key });
  }
  // Announced in one statement however many they are, and evicted here once this commits.
  for (const m of members) after.invalidate({ userId: m.id });
}

/**
 * Invites the existing accounts the organization does not manage, always by mail (the token proves the
 * address, so it is never handed to the caller). An email with a pending invitation keeps it unmailed;
 * an expired one is refreshed.
 */
async function inviteExisting(
  caller: Caller,
  tx: EntityManager,
  after: AfterCommit,
  organizationId: string,
  work: Plan,
): Promise<void> {
  const pending = await tx.find(Invitation, {
    organizationId,
    projectId: null,
    status: 'pending',
    email: { $in: work.invite.map((i) => i.email) },
  });
  const byEmail = new Map(pending.map((i) => [i.email.toLowerCase(), i]));
  const inviter = inviterOf(caller.principal);
  const actor = actorOf(caller);
  for (const { email } of work.invite) {
    const existing = byEmail.get(email.toLowerCase());
    if (existing && existing.expiresAt.getTime() > Date.now()) continue;
    const { invitation } = issueInvitation(
      tx,
      after,
      caller.runtime,
      {
        organizationId,
        organizationName: organizationOf(caller).name,
        email,
        role: work.role.key,
        inviter,
        ttlDays: work.settings.invitationTtlDays,
        sendEmail: true,
      },
      existing,
    );
    record(tx, actor, {
      organizationId,
      action: existing ? 'invitation.refreshed' : 'invitation.created',
      target: { type: 'invitation', id: invitation.id },
      changes: { email: { from: null, to: email }, role: { from: null, to: work.role.key } },
    });
  }
}

function summarise(dryRun: boolean, results: TResult[]): TPreRegisterOutput {
  const counts = { created: 0, exists: 0, skipped: 0, invalid: 0, invited: 0, domainNotAllowed: 0 };
  for (const r of results) counts[r.outcome]++;
  return { dryRun, results, counts };
}

const isRace = (error: unknown) =>
  error instanceof UniqueConstraintViolationException || error instanceof DeadlockException;

/** One all-or-nothing attempt: the plan is read under the organization lock, then written. */
function writeOnce(caller: Caller, organizationId: string, input: TPreRegisterInput): Promise<Plan> {
  return transaction(caller, async (tx, after) => {
    const planned = await plan(caller, tx, organizationId, input, true);
    // Every invitation email counts against the hourly budget, in this transaction: a batch that
    // does not commit spends none of it, one that does not fit is refused whole.
    // (existing accounts it does not manage are always invited by mail).
    const mails = (input.sendInviteEmail ? planned.create.length : 0) + planned.invite.length;
    if (mails) await takeAttempt(tx, [inviteBudget(caller.runtime, organizationId, mails)]);
    await write(caller, tx, after, organizationId, planned, input.sendInviteEmail ?? false);
    return planned;
  });
}

/**
 * Creates accounts (without passwords) and memberships in the caller's organization for a batch of
 * emails, all or nothing, and reports one outcome per email:
 * - `invalid`: not a usable email address;
 * - `skipped`: a repeat of an earlier email of the batch (case-insensitive), or, with
 *   `skipIfUserExists`, an account that is not a member of the organization;
 * - `exists`: an account that is a member (left as it is), or that has just been added as one with the role;
 * - `created`: a new account, its membership and a pending invitation (acceptInviteUrl); `invited`: the
 *   same, and the invitation email is queued in the same transaction;
 * - `domainNotAllowed`: outside the organization's allowedEmailDomains.
 * A dry run plans the same way and writes (and sends) nothing.
 */
export async function preRegister(caller: Caller, given: TPreRegisterInput): Promise<TPreRegisterOutput> {
  const organizationId = organizationOf(caller).id;
  // An invitation's link sets the new account's password: only a person signed in is shown it; for a
  // key or a service account's token every invitation goes by mail (see bySession).
  if (given.sendInviteEmail === false) assertSession(caller, "be handed the links that set other people's passwords");
  const input = { ...given, sendInviteEmail: given.sendInviteEmail ?? !bySession(caller) };
  if (input.dryRun) return summarise(true, (await plan(caller, caller.em, organizationId, input, false)).results);

  const work = await writeOnce(caller, organizationId, input).catch(async (error: unknown) => {
    // Another organization's run (or a sign-up) created one of these accounts meanwhile: plan again,
    // which now finds it. A second collision is reported rather than retried.
    if (!isRace(error)) throw error;
    return writeOnce(caller, organizationId, input).catch((again: unknown) => {
      throw isRace(again) ? new AppError('CONFLICT', 'These emails were being registered concurrently; retry') : again;
    });
  });

  for (const c of work.create) (work.results[c.index] as TResult).userId = c.id;
  return summarise(false, work.results);
}
