import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { newId } from '@gatehouse/db';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { JWK } from 'jose';
import { SecretBox } from '../core/crypto.js';
import { systemTransaction } from '../infra/transaction.js';

export const TOKEN_ALGORITHM = 'ES256';
const DAY_MS = 24 * 60 * 60 * 1000;

interface KeyRow {
  id: string;
  public_jwk: JWK;
  retired_at: string | null;
  created_at: string;
}

interface Loaded {
  /** The key that signs: the newest unretired one. */
  signing: { kid: string; key: KeyObject; createdAt: number } | null;
  /** Public keys by kid: the signing key and every retired key still published. */
  published: Map<string, { jwk: JWK; key: KeyObject }>;
  loadedAt: number;
}

export interface SigningKeyOptions {
  /** GATEHOUSE_SECRET: the private halves are encrypted under a key derived from it. */
  secret: string;
  /** A signing key older than this is replaced before it signs again. */
  rotateAfterMs?: number | undefined;
  /** How long a retired key stays published: at least the longest token lifetime. */
  retainMs: number;
  /** How often a process re-reads the keys (another process may have rotated). */
  refreshMs?: number;
}

/**
 * The token signing keys (ES256), stored in the database so every process signs with the same key and
 * publishes the same set. The newest unretired key signs; a rotation (on a schedule, or
 * `platform.rotateSigningKey`) creates a new one and retires the old, which stays in the JWKS until
 * the tokens it signed have expired. Each process caches the keys and re-reads them every
 * `refreshMs`, or at once when asked for a kid it does not know (at most once a second).
 */
export class SigningKeys {
  readonly #box: SecretBox;
  readonly #rotateAfterMs: number;
  readonly #retainMs: number;
  readonly #refreshMs: number;
  #loaded: Loaded | null = null;
  #loading: Promise<Loaded> | null = null;
  #lastMissReload = 0;

  constructor(
    private readonly orm: MikroORM,
    options: SigningKeyOptions,
  ) {
    this.#box = new SecretBox(options.secret, 'signing-key-encryption');
    this.#rotateAfterMs = options.rotateAfterMs ?? 30 * DAY_MS;
    this.#retainMs = options.retainMs;
    this.#refreshMs = options.refreshMs ?? 60_000;
  }

  /** The key to sign with now, creating or rotating it when due. */
  async signingKey(): Promise<{ kid: string; key: KeyObject }> {
    let loaded = await this.#current();
    if (!loaded.signing || loaded.signing.createdAt + this.#rotateAfterMs <= Date.now()) {
      await this.rotate({ ifOlderThanMs: this.#rotateAfterMs });
      loaded = await this.#reload();
    }
    if (!loaded.signing) throw new Error('no signing key');
    return loaded.signing;
  }

  /** The public key for `kid`, or undefined; an unknown kid re-reads the keys at most once a second. */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    let loaded = await this.#current();
    if (!loaded.published.has(kid) && Date.now() - this.#lastMissReload >= 1_000) {
      this.#lastMissReload = Date.now();
      loaded = await this.#reload();
    }
    return loaded.published.get(kid)?.key;
  }

  /** The JWKS: the signing key and the retired keys whose tokens may still be live. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const loaded = await this.#current();
    if (!loaded.signing) await this.signingKey();
    return { keys: [...(await this.#current()).published.values()].map((k) => k.jwk) };
  }

  /**
   * Creates a new signing key and retires the others, under a row lock so concurrent rotations (two
   * processes finding the key due at once) make one key. With `ifOlderThanMs`, does nothing when a
   * key younger than that already signs (someone else rotated first). `record` writes the audit event
   * of a new key in the same transaction. Returns the signing kid.
   */
  async rotate({
    ifOlderThanMs,
    record,
  }: {
    ifOlderThanMs?: number | undefined;
    record?: (tx: EntityManager, kid: string) => void;
  } = {}): Promise<string> {
    const kid = await systemTransaction(this.orm, async (tx) => {
      await tx.execute(
        `insert into deployment_settings (key, value, created_at) values ('signing_key_lock', '', now())
         on conflict (key) do update set value = '' returning key`,
      );
      const [newest] = await tx.execute<{ id: string; created_at: string }[]>(
        'select id, created_at from signing_keys where retired_at is null order by created_at desc limit 1',
      );
      const due = ifOlderThanMs === undefined || !newest || Date.parse(newest.created_at) + ifOlderThanMs <= Date.now();
      if (!due) return (newest as { id: string }).id;
      const id = await this.#insertKey(tx);
      record?.(tx, id);
      return id;
    });
    this.#loaded = null;
    return kid;
  }

  async #insertKey(tx: EntityManager): Promise<string> {
    const id = newId('ghk');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: id, alg: TOKEN_ALGORITHM, use: 'sig' };
    await tx.execute('update signing_keys set retired_at = now() where retired_at is null');
    await tx.execute(
      `insert into signing_keys (id, algorithm, public_jwk, private_key_encrypted, created_at)
       values (?, ?, ?::jsonb, ?, now())`,
      [
        id,
        TOKEN_ALGORITHM,
        JSON.stringify(jwk),
        // The kid as associated data: a ciphertext moved to another row does not decrypt.
        this.#box.seal(privateKey.export({ format: 'der', type: 'pkcs8' }), id),
      ],
    );
    return id;
  }

  #decrypt(kid: string, stored: string): KeyObject {
    const der = this.#box.open(stored, kid);
    if (!der) throw new Error(`signing key ${kid} does not decrypt: was GATEHOUSE_SECRET changed?`);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }

  async #current(): Promise<Loaded> {
    const loaded = this.#loaded;
    if (loaded && Date.now() - loaded.loadedAt < this.#refreshMs) return loaded;
    return this.#reload();
  }

  #reload(): Promise<Loaded> {
    this.#loading ??= this.#read().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #read(): Promise<Loaded> {
    const em = this.orm.em.fork();
    const rows = await em.execute<KeyRow[]>(
      `select id, public_jwk, retired_at, created_at from signing_keys
        where retired_at is null or retired_at > now() - make_interval(secs => ?)
        order by created_at desc`,
      [this.#retainMs / 1000],
    );
    const newest = rows.find((r) => r.retired_at === null);
    let signing: Loaded['signing'] = null;
    if (newest) {
      const [secret] = await em.execute<{ private_key_encrypted: string }[]>(
        'select private_key_encrypted from signing_keys where id = ?',
        [newest.id],
      );
      signing = {
        kid: newest.id,
        key: this.#decrypt(newest.id, secret?.private_key_encrypted ?? ''),
        createdAt: Date.parse(newest.created_at),
      };
    }
    const published = new Map(
      rows.map((r) => [
        r.id,
        { jwk: r.public_jwk, key: createPublicKey({ key: r.public_jwk as never, format: 'jwk' }) },
      ]),
    );
    this.#loaded = { signing, published, loadedAt: Date.now() };
    return this.#loaded;
  }
}
