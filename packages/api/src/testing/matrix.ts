// Test-only helpers for the authorization matrix (authorization.test.ts): many accounts, sessions and
// keys written in one transaction, the children procedures take ids of (roles, invitations, credit
// transactions, reservations), and the outcome of a call as one comparable string.
import { newId, Organization, type Orm } from '@gatehouse/db';
import { TRPCError } from '@trpc/server';
import { generateKey } from '../api-keys/format.js';
import { hashPassword } from '../auth/passwords.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Scope } from '../core/permissions.js';
import { generateClientCredential } from '../tokens/format.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}${randomString(4).toLowerCase()}`;

/** A unique string for idempotency keys, role keys and emails. */
export const uniqueKey = () => `m${unique()}`;
export const uniqueEmail = (tag = 'user', domain = 'example.com') => `${tag}-${unique()}@${domain}`;

/** A new organization, written directly (no owner: add one with seedAccounts). */
export async function seedOrganization(orm: Orm, name = `Matrix ${unique()}`): Promise<string> {
  const em = orm.em.fork();
  const label = `matrix-${unique()}`;
  const organization = em.create(Organization, { id: newId('org'), name, label, namespace: label });
  await em.flush();
  return organization.id;
}

export interface AccountSpec {
  /** A membership with this role (and status). */
  memberOf?: { organizationId: string; role: string; status?: 'active' | 'deactivated' | 'archived' };
  /** The managing organization; null (the default) is an account that manages itself (signup, bootstrap). */
  managedBy?: string | null;
  emailVerified?: boolean;
  platformAdmin?: boolean;
  /** The primary organization (users.organization_id); defaults to the membership's. */
  primaryOrganizationId?: string | null;
  /** An API key bound to this organization (null: a platform key), with these scopes (null: all). */
  key?: { organizationId: string | null; scopes: Scope[] | null };
  /** A session (signed in with a password). */
  session?: boolean;
  /** A password to sign in with (none by default). */
  password?: string;
  name?: string;
}

export interface SeededAccount {
  userId: string;
  email: string;
  name: string;
  keyId: string | null;
  key: string | null;
  sessionToken: string | null;
}

/**
 * Accounts, memberships, keys and sessions as the product stores them, written by four statements in
 * one transaction however many there are: rows of the matrix each get fresh ones cheaply.
 */
export async function seedAccounts(orm: Orm, specs: readonly AccountSpec[]): Promise<SeededAccount[]> {
  const users: Record<string, unknown>[] = [];
  const memberships: Record<string, unknown>[] = [];
  const keys: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  const hashes = await Promise.all(specs.map((spec) => (spec.password ? hashPassword(spec.password) : null)));
  const seeded = specs.map((spec, index): SeededAccount => {
    const id = newId('usr');
    const email = uniqueEmail('acct');
    const name = spec.name ?? 'Member';
    users.push({
      id,
      email,
      name,
      platform_role: spec.platformAdmin ? 'admin' : 'user',
      managed_by: spec.managedBy ?? null,
      email_verified: spec.emailVerified ?? true,
      password_hash: hashes[index],
      organization_id:
        spec.primaryOrganizationId !== undefined ? spec.primaryOrganizationId : (spec.memberOf?.organizationId ?? null),
    });
    if (spec.memberOf) {
      memberships.push({
        id: newId('mem'),
        organization_id: spec.memberOf.organizationId,
        user_id: id,
        role: spec.memberOf.role,
        status: spec.memberOf.status ?? 'active',
      });
    }
    let keyId: string | null = null;
    let key: string | null = null;
    if (spec.key) {
      const generated = generateKey();
      keyId = newId('key');
      key = generated.key;
      keys.push({
        id: keyId,
        key_prefix: generated.keyPrefix,
        secret_hash: generated.secretHash,
        user_id: id,
        organization_id: spec.key.organizationId,
        scopes: spec.key.scopes,
      });
    }
    let sessionToken: string | null = null;
    if (spec.session) {
      sessionToken = `ghs_${randomString(43)}`;
      sessions.push({ id: newId('ses'), token_hash: sha256Hex(sessionToken), user_id: id });
    }
    return { userId: id, email, name, keyId, key, sessionToken };
  });
  await orm.em.fork().transactional(async (tx) => {
    await tx.execute(
      `insert into users (id, email, name, platform_role, managed_by, email_verified, password_hash, organization_id,
              created_at, updated_at)
       select x.id, x.email, x.name, x.platform_role, x.managed_by, x.email_verified, x.password_hash, x.organization_id,
              now(), now()
         from jsonb_to_recordset(?::jsonb) as x(id text, email text, name text, platform_role text, managed_by text,
              email_verified boolean, password_hash text, organization_id text)`,
      [JSON.stringify(users)],
    );
    if (memberships.length) {
      await tx.execute(
        `insert into memberships (id, organization_id, user_id, role, status, created_at, updated_at)
         select x.id, x.organization_id, x.user_id, x.role, x.status, now(), now()
           from jsonb_to_recordset(?::jsonb) as x(id text, organization_id text, user_id text, role text, status text)`,
        [JSON.stringify(memberships)],
      );
    }
    if (keys.length) {
      await tx.execute(
        `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, scopes, metadata, created_at, updated_at)
         select x.id, x.key_prefix, x.secret_hash, 'matrix key', x.user_id, x.organization_id,
                case when x.scopes is null or jsonb_typeof(x.scopes) = 'null' then null
                     else array(select jsonb_array_elements_text(x.scopes)) end,
                '{}', now(), now()
           from jsonb_to_recordset(?::jsonb) as x(id text, key_prefix text, secret_hash text, user_id text,
                organization_id text, scopes jsonb)`,
        [JSON.stringify(keys)],
      );
    }
    if (sessions.length) {
      await tx.execute(
        `insert into sessions (id, token_hash, user_id, expires_at, created_at, updated_at)
         select x.id, x.token_hash, x.user_id, now() + interval '12 hours', now(), now()
           from jsonb_to_recordset(?::jsonb) as x(id text, token_hash text, user_id text)`,
        [JSON.stringify(sessions)],
      );
    }
  });
  return seeded;
}

/** A custom role of the organization, written directly. */
export async function seedRole(orm: Orm, organizationId: string, permissions: readonly string[]): Promise<string> {
  const id = newId('role');
  await orm.em.fork().execute(
    `insert into roles (id, organization_id, key, name, permissions, created_at, updated_at)
     values (?, ?, ?, 'Matrix role', ?, now(), now())`,
    [id, organizationId, uniqueKey(), `{${permissions.join(',')}}`],
  );
  return id;
}

/** A pending invitation (for a viewer, sent by nobody in particular) in the organization, written directly. */
export async function seedInvitation(orm: Orm, organizationId: string, role = 'viewer'): Promise<string> {
  return (await seedInvitationToken(orm, organizationId, null, role)).id;
}

/**
 * A pending invitation to a new address, sent by `inviterId` (whose authority accepting re-checks),
 * with the token its mail would carry.
 */
export async function seedInvitationToken(
  orm: Orm,
  organizationId: string,
  inviterId: string | null,
  role = 'viewer',
): Promise<{ id: string; token: string; email: string }> {
  const id = newId('inv');
  const token = randomString(43);
  const email = uniqueEmail('invitee');
  await orm.em.fork().execute(
    `insert into invitations (id, organization_id, email, role, inviter_id, token_hash, expires_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, now() + interval '1 day', now(), now())`,
    [id, organizationId, email, role, inviterId, sha256Hex(token)],
  );
  return { id, token, email };
}

/** A mailed token of the user (a password reset, or an address verification), as its link carries it. */
export async function seedMailedToken(orm: Orm, userId: string, purpose: 'reset' | 'verify'): Promise<string> {
  const token = randomString(43);
  await orm.em.fork().execute(
    `insert into password_reset_tokens (id, token_hash, user_id, purpose, expires_at, created_at)
     values (?, ?, ?, ?, now() + interval '1 hour', now())`,
    [newId('prt'), sha256Hex(token), userId, purpose],
  );
  return token;
}

/** A service account of the organization with one client credential (its secret as issued), written directly. */
export async function seedServiceAccount(orm: Orm, organizationId: string, role = 'viewer') {
  const serviceAccountId = newId('sa');
  const credentialId = newId('cred');
  const { clientId, clientSecret, secretHash } = generateClientCredential();
  const em = orm.em.fork();
  await em.execute(
    `insert into service_accounts (id, organization_id, name, role, created_at, updated_at)
     values (?, ?, 'matrix', ?, now(), now())`,
    [serviceAccountId, organizationId, role],
  );
  await em.execute(
    `insert into service_account_credentials (id, service_account_id, organization_id, client_id, secret_hash, name, created_at, updated_at)
     values (?, ?, ?, ?, ?, 'matrix', now(), now())`,
    [credentialId, serviceAccountId, organizationId, clientId, secretHash],
  );
  return { serviceAccountId, credentialId, clientId, clientSecret };
}

/** `credits` credits granted to the organization: a grant in the ledger and the balance that matches it. */
export async function seedBalance(orm: Orm, organizationId: string, credits: number): Promise<void> {
  const micro = BigInt(credits) * 1_000_000n;
  const em = orm.em.fork();
  await em.transactional(async (tx) => {
    const [account] = await tx.execute<{ balance: string }[]>(
      `insert into credit_accounts (organization_id, balance, total_purchased, updated_at) values (?, ?::bigint, 0, now())
       on conflict (organization_id) do update set balance = credit_accounts.balance + excluded.balance, updated_at = now()
       returning balance`,
      [organizationId, micro.toString()],
    );
    await tx.execute(
      `insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type, created_at)
       values (?, ?, 'grant', ?::bigint, ?::bigint, ?, 'system', now())`,
      [newId('txn'), organizationId, micro.toString(), account?.balance ?? micro.toString(), uniqueKey()],
    );
  });
}

/** A usage transaction of 1 credit, written directly, for the procedures that take its id. */
export async function seedUsage(orm: Orm, organizationId: string): Promise<string> {
  const id = newId('txn');
  const em = orm.em.fork();
  await em.execute(
    `insert into credit_accounts (organization_id, updated_at) values (?, now()) on conflict (organization_id) do nothing`,
    [organizationId],
  );
  await em.execute(
    `insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type, created_at)
     values (?, ?, 'usage', -1000000, 0, ?, 'system', now())`,
    [id, organizationId, uniqueKey()],
  );
  return id;
}

/** An active hold of 1 credit (on 1 credit more of balance), written directly. */
export async function seedReservation(orm: Orm, organizationId: string): Promise<string> {
  const id = newId('rsv');
  const em = orm.em.fork();
  await em.execute(
    `insert into credit_accounts (organization_id, balance, held, updated_at) values (?, 1000000, 1000000, now())
     on conflict (organization_id) do update set balance = credit_accounts.balance + 1000000,
       held = credit_accounts.held + 1000000`,
    [organizationId],
  );
  await em.execute(
    `insert into credit_reservations (id, organization_id, amount, idempotency_key, actor_type, expires_at, created_at, updated_at)
     values (?, ?, 1000000, ?, 'system', now() + interval '1 hour', now(), now())`,
    [id, organizationId, uniqueKey()],
  );
  return id;
}

/**
 * What a call came to, as one string: 'OK', or `${code}:${reason}` (the reason as the wire shows it:
 * the AppError's, else the tRPC code). Anything that is not a TRPCError is reported as such.
 */
export async function outcomeOf<T>(promise: Promise<T>): Promise<{ outcome: string; value?: T; error?: unknown }> {
  try {
    return { outcome: 'OK', value: await promise };
  } catch (error) {
    if (!(error instanceof TRPCError)) return { outcome: `NOT_A_TRPC_ERROR:${String(error)}`, error };
    const reason = error.cause instanceof AppError ? error.cause.reason : error.code;
    const suffix = error.code === 'INTERNAL_SERVER_ERROR' ? ` (${String(error.cause ?? error.message)})` : '';
    return { outcome: `${error.code}:${reason}${suffix}`, error };
  }
}

/** Runs `work` over the items, at most `concurrency` at a time; results in the items' order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** A team of the organization (with `userId`, a member of it, as a team member), written directly. */
/** A webhook endpoint of the organization, receiving member events; its secret is not a real sealed one. */
export async function seedWebhook(orm: Orm, organizationId: string): Promise<string> {
  const id = newId('whk');
  await orm.em.fork().execute(
    `insert into webhook_endpoints (id, organization_id, url, events, secret, enabled, created_at, updated_at)
       values (?, ?, 'https://hooks.example.com/gatehouse', '{organization.member_added}', 'unsealed', true, now(), now())`,
    [id, organizationId],
  );
  return id;
}

/** A delivery of a new event of the organization to a new endpoint of it, pending. */
export async function seedDelivery(orm: Orm, organizationId: string): Promise<string> {
  const webhookId = await seedWebhook(orm, organizationId);
  const eventId = newId('ev');
  const id = newId('whd');
  await orm.em.fork().execute(
    `with n as (
       insert into organization_event_counters (organization_id, last_sequence) values (?, 1)
       on conflict (organization_id) do update set last_sequence = organization_event_counters.last_sequence + 1
       returning last_sequence),
     e as (
       insert into events (id, organization_id, sequence, type, data, occurred_at)
       select ?, ?, n.last_sequence, 'organization.member_added', '{"userId":"usr_x","role":"viewer"}', now() from n
       returning id)
     insert into webhook_deliveries (id, organization_id, webhook_id, event_id, status, attempts, created_at, updated_at)
     select ?, ?, ?, e.id, 'pending', 0, now(), now() from e`,
    [organizationId, eventId, organizationId, id, organizationId, webhookId],
  );
  return id;
}

export async function seedTeam(orm: Orm, organizationId: string, userId?: string): Promise<string> {
  const id = newId('team');
  const em = orm.em.fork();
  await em.execute(
    `insert into teams (id, organization_id, name, is_everyone, created_at, updated_at) values (?, ?, ?, false, now(), now())`,
    [id, organizationId, `team ${uniqueKey()}`],
  );
  if (userId) {
    await em.execute(
      `insert into team_members (team_id, user_id, membership_id, organization_id, role, created_at, updated_at)
       select ?, m.user_id, m.id, m.organization_id, 'member', now(), now()
         from memberships m where m.organization_id = ? and m.user_id = ?`,
      [id, organizationId, userId],
    );
  }
  return id;
}

/** A project of the organization (with `teamId` as its project_viewer collaborator), written directly. */
export async function seedProject(orm: Orm, organizationId: string, teamId?: string): Promise<string> {
  const id = newId('prj');
  const em = orm.em.fork();
  await em.execute(
    `insert into projects (id, organization_id, name, created_at, updated_at) values (?, ?, 'matrix', now(), now())`,
    [id, organizationId],
  );
  if (teamId) {
    await em.execute(
      `insert into role_bindings (id, organization_id, team_id, project_id, role, created_at, updated_at)
       values (?, ?, ?, ?, 'project_viewer', now(), now())`,
      [newId('rbd'), organizationId, teamId, id],
    );
  }
  return id;
}

/** `userId` as a collaborator of the project with `role` (no membership needed: an external collaborator), written directly. */
export async function seedCollaborator(
  orm: Orm,
  organizationId: string,
  projectId: string,
  userId: string,
  role = 'project_viewer',
): Promise<void> {
  await orm.em.fork().execute(
    `insert into role_bindings (id, organization_id, user_id, project_id, role, created_at, updated_at)
     values (?, ?, ?, ?, ?, now(), now())`,
    [newId('rbd'), organizationId, userId, projectId, role],
  );
}

/** The organization suspended, as platform.organizations.suspend leaves it (for credentials not yet cached). */
export async function suspendOrganization(orm: Orm, organizationId: string): Promise<void> {
  await orm.em
    .fork()
    .execute(`update organizations set status = 'suspended', suspended_reason = 'matrix' where id = ?`, [
      organizationId,
    ]);
}

/**
 * A domain of the organization, written directly: verified by default (verifying it again answers at
 * once, with no DNS lookup), or pending. The name is new each time (one verified holder per domain).
 */
export async function seedDomain(
  orm: Orm,
  organizationId: string,
  status: 'pending' | 'verified' = 'verified',
): Promise<{ domainId: string; domain: string }> {
  const domainId = newId('dom');
  const domain = `${uniqueKey()}.example.com`;
  await orm.em.fork().execute(
    `insert into domains (id, organization_id, domain, status, token, verified_at, checked_at, created_at, updated_at)
     values (?, ?, ?, ?, 'gatehouse-domain-verification=seeded', ?, ?, now(), now())`,
    [
      domainId,
      organizationId,
      domain,
      status,
      status === 'verified' ? new Date() : null,
      status === 'verified' ? new Date() : null,
    ],
  );
  return { domainId, domain };
}

/**
 * An SSO connection of the organization written straight into the table (no discovery), with an issuer
 * on a closed loopback port (nothing answers; no name is looked up), unless it already has one. Its client secret is a placeholder that opens nowhere.
 */
export async function seedSsoConnection(
  orm: Orm,
  organizationId: string,
  issuer = 'http://127.0.0.1:9/seeded',
): Promise<{ connectionId: string }> {
  const id = newId('sso');
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
  };
  const [row] = await orm.em.fork().execute<{ id: string }[]>(
    `insert into sso_connections (id, organization_id, protocol, identifier, client_id, client_secret_sealed, metadata,
       default_role, sso_required, created_at, updated_at)
     values (?, ?, 'oidc', ?, 'seeded-client', 'v1.seeded', ?::jsonb, 'member', false, now(), now())
     on conflict (organization_id) do update set updated_at = sso_connections.updated_at
     returning id`,
    [id, organizationId, issuer, JSON.stringify(metadata)],
  );
  return { connectionId: (row as { id: string }).id };
}

/** A live one-time SSO code for the user (what GET /sso/callback hands to the redirect_uri). */
export async function seedSsoCode(orm: Orm, userId: string, organizationId: string): Promise<string> {
  const code = `ghc_${randomString(43)}`;
  await orm.em.fork().execute(
    `insert into sso_codes (code_hash, user_id, organization_id, expires_at, created_at)
     values (?, ?, ?, now() + interval '1 minute', now())`,
    [sha256Hex(code), userId, organizationId],
  );
  return code;
}
