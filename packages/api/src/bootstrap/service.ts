import { ApiKey, User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultName, findUserByEmail, normalizeEmail } from '../accounts/email.js';
import { insertUser } from '../accounts/insert-user.js';
import type { TNewKey } from '../api-keys/schema.js';
import { activeKeyFilter, insertApiKey } from '../api-keys/service.js';
import { hashPassword } from '../auth/passwords.js';
import { systemActor } from '../core/audit.js';
import { systemTransaction } from '../infra/transaction.js';
import { insertOrganization } from '../organizations/service.js';

export interface BootstrapInput {
  email: string;
  organization: string;
  /** Without one, the admin authenticates with the printed API key until they set a password. */
  password?: string | undefined;
}

export interface BootstrapResult {
  userId: string;
  organizationId: string;
  /** Whether this call created the user or the organization. */
  created: boolean;
}

// Serialises bootstraps across processes sharing one PostgreSQL, until the transaction ends.
const lockBootstrap = (em: EntityManager) => em.execute('select pg_advisory_xact_lock(4247002)');

/**
 * Makes sure the platform admin `email` exists and owns an organization named `organization`,
 * creating what is missing in one transaction. An existing user keeps their password.
 */
async function ensureAdmin(em: EntityManager, input: BootstrapInput): Promise<BootstrapResult> {
  let created = false;
  let user = await findUserByEmail(em, input.email);
  if (!user) {
    const email = normalizeEmail(input.email);
    user = await insertUser(em, {
      email,
      name: defaultName(email),
      platformRole: 'admin',
      // The operator named this address when deploying: it manages itself and counts as proven.
      emailVerified: true,
      passwordHash: input.password ? await hashPassword(input.password) : null,
    });
    created = true;
  }
  const owned: { id: string }[] = await em.execute(
    `select o.id from organizations o join memberships m on m.organization_id = o.id
      where m.user_id = ? and m.role = 'owner' and o.name = ? order by o.id limit 1`,
    [user.id, input.organization],
  );
  let organizationId = owned[0]?.id;
  if (!organizationId) {
    organizationId = (await insertOrganization(em, systemActor, { name: input.organization, owner: user })).id;
    created = true;
  }
  return { userId: user.id, organizationId, created };
}

/** The start-up bootstrap: acts only on a database without users, so running it again changes nothing. */
export function bootstrapIfEmpty(em: EntityManager, input: BootstrapInput): Promise<BootstrapResult | null> {
  return systemTransaction({ em }, async (tx) => {
    await lockBootstrap(tx);
    if ((await tx.count(User, {})) > 0) return null;
    return ensureAdmin(tx, input);
  });
}

/** Whether no platform admin exists yet: the server's start banner then shows the bootstrap command. */
export async function needsBootstrap(em: EntityManager): Promise<boolean> {
  return (await em.count(User, { platformRole: 'admin' })) === 0;
}

/** With `apiKey: null` (nothing minted), how many active keys the owner already holds there. */
export type BootstrapKeyResult = BootstrapResult & ({ apiKey: TNewKey } | { apiKey: null; activeKeys: number });

/**
 * The CLI bootstrap: ensures the admin and organization, then mints an owner API key shown once —
 * unless the owner already holds an active key there and `newKey` is not set. Running it again must
 * not leave another never-expiring owner key behind each time; asking for one is explicit.
 */
export function bootstrapWithKey(
  em: EntityManager,
  input: BootstrapInput & { newKey: true },
): Promise<BootstrapResult & { apiKey: TNewKey }>;
export function bootstrapWithKey(
  em: EntityManager,
  input: BootstrapInput & { newKey?: boolean },
): Promise<BootstrapKeyResult>;
export function bootstrapWithKey(
  em: EntityManager,
  input: BootstrapInput & { newKey?: boolean },
): Promise<BootstrapKeyResult> {
  return systemTransaction({ em }, async (tx) => {
    await lockBootstrap(tx);
    const result = await ensureAdmin(tx, input);
    if (!input.newKey) {
      const activeKeys = await tx.count(ApiKey, {
        userId: result.userId,
        organizationId: result.organizationId,
        ...activeKeyFilter(new Date()),
      });
      if (activeKeys > 0) return { ...result, apiKey: null, activeKeys };
    }
    const apiKey = insertApiKey(tx, systemActor, {
      userId: result.userId,
      organizationId: result.organizationId,
      name: 'bootstrap',
    });
    return { ...result, apiKey };
  });
}
