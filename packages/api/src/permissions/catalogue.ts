import { readFile } from 'node:fs/promises';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import {
  allPermissions,
  builtInRoles,
  isPermission,
  MAX_REGISTERED_PERMISSIONS,
  type RegisteredPermission,
  registeredPermissions,
  statements,
  useRegisteredPermissions,
} from '../core/permissions.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { announce, systemTransaction, transaction } from '../infra/transaction.js';
import {
  type TCatalogue,
  type TDeletePermissionInput,
  type TRegisteredPermission,
  type TRegisterPermissionInput,
  type TUpdatePermissionInput,
  ZPermissionsFile,
} from './schema.js';

interface Row {
  key: string;
  description: string | null;
  granted_to: ('member' | 'viewer')[];
}

/** grantedTo as a PostgreSQL array literal (the driver would spread a JS array into separate parameters). */
const roleArray = (roles: readonly ('member' | 'viewer')[]) => `{${roles.join(',')}}`;

const toRegistered = (row: Row): RegisteredPermission => ({
  key: row.key,
  description: row.description,
  grantedTo: row.granted_to,
});

/**
 * Keeps this process's copy of the registered permissions (core/permissions.ts) as the database has
 * them: loaded at start, and again whenever any process changes them (the `catalogue` invalidation).
 * Credentials cached before hold the old role permissions, so they are dropped after each load.
 */
export class Catalogue {
  private started = 0;
  private applied = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly changed: () => void,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Reads the catalogue; a load that started earlier but answers later does not overwrite a newer one. */
  async load(): Promise<void> {
    const ticket = ++this.started;
    const rows = await this.orm.em
      .fork()
      .execute<Row[]>('select key, description, granted_to from registered_permissions order by key');
    if (ticket < this.applied) return;
    this.applied = ticket;
    useRegisteredPermissions(rows.map(toRegistered));
    this.changed();
  }

  /** load() that never throws: a failed reload keeps the copy it has, and says so. */
  async reload(): Promise<void> {
    await this.load().catch((error) => this.log('could not reload the permission catalogue', error));
  }
}

const builtInHolders = (permission: string) =>
  (Object.keys(builtInRoles) as (keyof typeof builtInRoles)[]).filter((role) =>
    (builtInRoles[role] as readonly string[]).includes(permission),
  );

/** Every permission there is, for anyone signed in: the built-in ones, then the registered ones. */
export function catalogue(): TCatalogue {
  return {
    permissions: [
      ...allPermissions
        .filter((key) => builtInHolders(key).length > 0)
        .map((key) => ({ key, builtIn: true, description: null, grantedTo: builtInHolders(key) })),
      ...registeredPermissions().map((p) => ({
        key: p.key,
        builtIn: false,
        description: p.description,
        grantedTo: ['owner' as const, 'admin' as const, ...p.grantedTo],
      })),
    ],
  };
}

const builtInResources = new Set<string>([...Object.keys(statements), 'platform']);

/** A key the operator may register: not a built-in permission, nor any of a built-in resource's. */
function assertRegistrable(key: string): void {
  const resource = key.slice(0, key.indexOf(':'));
  if (isPermission(key) || builtInResources.has(resource.toLowerCase())) {
    throw new AppError('BAD_REQUEST', `${key}: the ${resource} resource is Gatehouse's own; choose another name`);
  }
}

interface ListedRow extends Row {
  created_at: string;
  updated_at: string;
  roles: string;
  keys: string;
}

// Explicit holders only: owner and admin hold every registered permission without naming it.
const LISTED = `select p.key, p.description, p.granted_to, p.created_at, p.updated_at,
  (select count(*) from roles r where r.permissions @> array[p.key]::text[]) as roles,
  (select count(*) from api_keys k where k.scopes @> array[p.key]::text[] and k.revoked_at is null) as keys
  from registered_permissions p`;

const toListed = (row: ListedRow): TRegisteredPermission => ({
  key: row.key,
  builtIn: false,
  description: row.description,
  grantedTo: ['owner', 'admin', ...row.granted_to],
  heldBy: { roles: Number(row.roles), keys: Number(row.keys) },
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

async function listed(em: EntityManager, key: string): Promise<TRegisteredPermission | null> {
  const [row] = await em.execute<ListedRow[]>(`${LISTED} where p.key = ?`, [key]);
  return row ? toListed(row) : null;
}

/** The registered permissions (at most MAX_REGISTERED_PERMISSIONS, so one answer) with who names each. */
export async function listRegistered(caller: Caller): Promise<{ items: TRegisteredPermission[] }> {
  const rows = await caller.em.execute<ListedRow[]>(`${LISTED} order by p.key`);
  return { items: rows.map(toListed) };
}

/**
 * Registers a permission. Every process learns of it before its next decision that could use it (the
 * change is announced in the transaction; this process reloads before answering).
 */
export async function registerPermission(
  caller: Caller,
  input: TRegisterPermissionInput,
): Promise<TRegisteredPermission> {
  assertRegistrable(input.key);
  const created = await transaction(caller, async (tx, after) => {
    // Serializes registrations, so the cap holds under parallel creates.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('registered_permissions'))`);
    const [{ count } = { count: '0' }] = await tx.execute<{ count: string }[]>(
      'select count(*) from registered_permissions',
    );
    if (Number(count) >= MAX_REGISTERED_PERMISSIONS) {
      throw new AppError('BAD_REQUEST', `At most ${MAX_REGISTERED_PERMISSIONS} permissions can be registered`);
    }
    const inserted = await tx.execute<Row[]>(
      `insert into registered_permissions (key, description, granted_to, created_at, updated_at)
       values (?, ?, ?, now(), now()) on conflict (key) do nothing returning key`,
      [input.key, input.description ?? null, roleArray(input.grantedTo ?? [])],
    );
    if (!inserted.length) throw new AppError('CONFLICT', `${input.key} is already registered`);
    record(tx, actorOf(caller), {
      organizationId: null,
      action: 'permission.registered',
      target: { type: 'permission', id: input.key },
      changes: { grantedTo: { from: null, to: input.grantedTo ?? [] } },
    });
    after.invalidate({ catalogue: true });
    return listed(tx, input.key);
  });
  await caller.runtime.catalogue.reload();
  if (!created) throw new Error('registered permission vanished');
  return created;
}

export async function updatePermission(caller: Caller, input: TUpdatePermissionInput): Promise<TRegisteredPermission> {
  const updated = await transaction(caller, async (tx, after) => {
    const [row] = await tx.execute<Row[]>(
      'select key, description, granted_to from registered_permissions where key = ? for update',
      [input.key],
    );
    if (!row) throw new AppError('NOT_FOUND', `${input.key} is not registered`);
    const description = input.description === undefined ? row.description : input.description;
    const grantedTo = input.grantedTo ?? row.granted_to;
    await tx.execute(
      'update registered_permissions set description = ?, granted_to = ?, updated_at = now() where key = ?',
      [description, roleArray(grantedTo), input.key],
    );
    record(tx, actorOf(caller), {
      organizationId: null,
      action: 'permission.updated',
      target: { type: 'permission', id: input.key },
      changes: {
        ...(description !== row.description ? { description: { from: row.description, to: description } } : {}),
        ...(grantedTo.join() !== row.granted_to.join() ? { grantedTo: { from: row.granted_to, to: grantedTo } } : {}),
      },
    });
    after.invalidate({ catalogue: true });
    return listed(tx, input.key);
  });
  await caller.runtime.catalogue.reload();
  if (!updated) throw new Error('registered permission vanished');
  return updated;
}

/**
 * Unregisters a permission. While a custom role or an unrevoked key names it, CONFLICT HAS_DEPENDENCIES
 * (with the counts) unless `force`: then it is taken from every role and key in the same transaction,
 * and every process drops what it cached (access tokens already issued lose it too: a permission that
 * is not in the catalogue is held by no one).
 */
export async function deletePermission(caller: Caller, input: TDeletePermissionInput): Promise<{ ok: true }> {
  await transaction(caller, async (tx, after) => {
    // The row lock keeps a role or key from taking the permission while it is being removed from them all.
    const [row] = await tx.execute<Row[]>('select key from registered_permissions where key = ? for update', [
      input.key,
    ]);
    if (!row) throw new AppError('NOT_FOUND', `${input.key} is not registered`);
    const held = await listed(tx, input.key);
    const heldBy = held?.heldBy ?? { roles: 0, keys: 0 };
    if ((heldBy.roles || heldBy.keys) && !input.force) {
      throw new AppError(
        'HAS_DEPENDENCIES',
        `${input.key} is held by ${heldBy.roles} role(s) and ${heldBy.keys} key(s); pass force to take it from them`,
        { roles: heldBy.roles, keys: heldBy.keys },
      );
    }
    await tx.execute(
      `update roles set permissions = array_remove(permissions, ?), updated_at = now() where permissions @> array[?]::text[]`,
      [input.key, input.key],
    );
    await tx.execute(
      `update api_keys set scopes = array_remove(scopes, ?), updated_at = now() where scopes @> array[?]::text[]`,
      [input.key, input.key],
    );
    await tx.execute('delete from registered_permissions where key = ?', [input.key]);
    record(tx, actorOf(caller), {
      organizationId: null,
      action: 'permission.deleted',
      target: { type: 'permission', id: input.key },
      changes: { heldBy: { from: heldBy, to: null } },
    });
    after.invalidate({ catalogue: true });
  });
  await caller.runtime.catalogue.reload();
  return { ok: true };
}

/**
 * Registers what GATEHOUSE_PERMISSIONS_FILE lists (JSON `[{ key, description?, grantedTo? }]`), at start:
 * idempotent (the file's description and grantedTo win; nothing it does not list is removed). A malformed
 * file throws an Error whose message names the entry, for one line on stderr.
 */
export async function registerFromFile(orm: MikroORM, path: string): Promise<number> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`GATEHOUSE_PERMISSIONS_FILE ${path}: ${(error as Error).message}`);
  }
  const parsed = ZPermissionsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index] = issue?.path ?? [];
    const entry = typeof index === 'number' ? (raw as { key?: unknown }[])[index] : undefined;
    const name =
      typeof index === 'number' ? `entry ${index}${entry?.key ? ` (${String(entry.key)})` : ''}` : 'the file';
    throw new Error(`GATEHOUSE_PERMISSIONS_FILE ${path}: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  for (const [index, entry] of parsed.data.entries()) {
    try {
      assertRegistrable(entry.key);
    } catch (error) {
      throw new Error(`GATEHOUSE_PERMISSIONS_FILE ${path}: entry ${index} (${entry.key}): ${(error as Error).message}`);
    }
  }
  const seen = new Set<string>();
  for (const [index, entry] of parsed.data.entries()) {
    if (seen.has(entry.key)) {
      throw new Error(`GATEHOUSE_PERMISSIONS_FILE ${path}: entry ${index} (${entry.key}): listed twice`);
    }
    seen.add(entry.key);
  }
  await systemTransaction(orm, async (tx) => {
    for (const entry of parsed.data) {
      await tx.execute(
        `insert into registered_permissions (key, description, granted_to, created_at, updated_at)
         values (?, ?, ?, now(), now())
         on conflict (key) do update set description = excluded.description, granted_to = excluded.granted_to,
           updated_at = case when (registered_permissions.description, registered_permissions.granted_to)
             is distinct from (excluded.description, excluded.granted_to) then now() else registered_permissions.updated_at end`,
        [entry.key, entry.description ?? null, roleArray(entry.grantedTo ?? [])],
      );
    }
    const [{ count } = { count: '0' }] = await tx.execute<{ count: string }[]>(
      'select count(*) from registered_permissions',
    );
    if (Number(count) > MAX_REGISTERED_PERMISSIONS) {
      throw new Error(`GATEHOUSE_PERMISSIONS_FILE ${path}: more than ${MAX_REGISTERED_PERMISSIONS} registered in all`);
    }
    // Processes already running (a rolling start) reload it.
    await announce(tx, { catalogue: true });
  });
  return parsed.data.length;
}
