import { createHmac, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { listenForInvalidations } from './cache/invalidation.js';
import { PrincipalCache } from './cache/principal-cache.js';
import { UsageRecorder } from './cache/usage.js';
import { SecretBox } from './core/crypto.js';
import { Cursors } from './core/cursors.js';
import { reverifyDomains } from './domains/service.js';
import { Batches } from './infra/batching.js';
import type { Invalidation, Runtime } from './infra/caller.js';
import { createTxtResolver, type TxtResolver } from './infra/dns.js';
import { createGuardedFetch, type GuardedFetch, GuardedFetchError, type Resolve } from './infra/guarded-fetch.js';
import { mailSecrets, PRUNE_TASK } from './infra/mail.js';
import { type Budgets, defaultBudgets } from './limits/budgets.js';
import { KeyLimiter } from './limits/key-limits.js';
import { createThrottleStore, type ThrottleStore, type ThrottleStoreOptions } from './limits/throttle-store.js';
import { type MailTaskOptions, mailTask, pruneOutbox } from './mail/outbox.js';
import type { MailTransport } from './mail/transport.js';
import { Catalogue } from './permissions/catalogue.js';
import { type WebhookSigningKey, webhookSigningKey } from './queue/signature.js';
import { type Queue, type QueueOptions, startQueue, type WebhookSender, webhookSecrets } from './queue/worker.js';
import { SigningKeys } from './tokens/signing-keys.js';

export interface RuntimeOptions {
  orm: MikroORM;
  /** Where the queue's mail task delivers mail. */
  mail: MailTransport;
  /** Mail retries (tests back off less). */
  outbox?: Pick<MailTaskOptions, 'maxAttempts' | 'backoffBaseMs'> & { keepDays?: number };
  /** The server's own URL: token issuer, SSO callbacks, and by default the base of links in emails. */
  publicUrl: string;
  /** Base of links in emails (/verify-email, /reset-password, /invitations/accept) when the app hosts those pages itself. */
  appUrl?: string | undefined;
  /**
   * PostgreSQL URL to LISTEN for invalidations from other processes. Omit on the embedded
   * database, which has exactly one process (local invalidation is then all there is).
   */
  listenUrl?: string | undefined;
  /** On the embedded database (PGlite), where every pooled connection shares one PostgreSQL session. */
  embedded?: boolean;
  signupOpen?: boolean;
  /** How long a verified credential is trusted without the database; 0 disables the cache. */
  principalTtlMs?: number;
  usageFlushMs?: number;
  /** Where failure throttles count: this process's memory (default), PostgreSQL or Redis, or a store. */
  throttle?: ThrottleStoreOptions | ThrottleStore;
  /** Hourly abuse budgets (invitation mail per organization, organizations per user). */
  budgets?: Partial<Budgets>;
  /**
   * GATEHOUSE_SECRET: token signing keys and queued mail are stored encrypted under keys derived from
   * it. Without it a random secret is kept in the database (fine for development: they are then as
   * safe as the database itself).
   */
  secret?: string | undefined;
  /** Access token lifetime (default 15 minutes). */
  tokenTtlSeconds?: number;
  /** Signing keys older than this are replaced (default 30 days). */
  signingKeyRotateAfterMs?: number;
  /** Token requests per minute per client id and per source address (default 60 and 300). */
  tokenRequestLimits?: { perClient: number; perAddress: number };
  log?: (message: string, error?: unknown) => void;
  /**
   * GATEHOUSE_ALLOW_LOOPBACK_URLS: the guarded fetcher may reach 127.0.0.0/8 and ::1 (local development
   * and tests; never in production).
   */
  allowLoopbackUrls?: boolean;
  /**
   * How the guarded fetcher turns names into addresses (default: the system's). Tests give one, so that
   * a name resolving to a private address is refused without a DNS query leaving the machine.
   */
  resolveHostnames?: Resolve;
  /**
   * GATEHOUSE_DNS_SERVERS: the resolvers that prove domain claims (`ip` or `ip:port`; empty: the
   * system's). Read at each lookup, so a test may fill the list once its DNS server listens.
   */
  dnsServers?: readonly string[];
  /** How often verified domains are re-verified (default hourly, each domain once a day; 0: never). */
  reverifyDomainsEveryMs?: number;
  /**
   * The job queue (graphile-worker, in this PostgreSQL) that carries mail and webhook deliveries: every
   * process runs one. On the embedded database it sends mail only: events are written and listed
   * (events.list), and no delivery is queued.
   */
  queue?: QueueOptions | undefined;
  /**
   * GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: origins besides the server's own (publicUrl) that an SSO sign-in
   * may hand its one-time code to.
   */
  allowedRedirectOrigins?: readonly string[];
}

/**
 * The parts of a server process besides what infra/caller.ts declares for the machinery (the database,
 * invalidation, sealing mail): the principal cache, throttles and limits, the usage writers, the cursor
 * and token signers. Declared here, where they are built, and merged into the one Runtime type that
 * every Caller carries.
 */
declare module './infra/caller.js' {
  interface Runtime {
    publicUrl: string;
    /** Base of mailed links: the integrator's app (GATEHOUSE_APP_URL), else publicUrl's hosted pages. */
    appUrl: string;
    signupOpen: boolean;
    principals: PrincipalCache;
    /**
     * Prefixes of keys made before prefixes followed from the secret: looked up whatever the secret
     * (api-keys/format.ts). Read once at start; no key made since joins them.
     */
    legacyKeyPrefixes: ReadonlySet<string>;
    /** This process's copy of the registered permissions (reload() after changing them). */
    catalogue: Catalogue;
    /** Counters of failed credentials and passwords (limits/guards.ts). */
    throttle: ThrottleStore;
    budgets: Budgets;
    usage: UsageRecorder;
    /** Per-key rate limits and remaining calls, leased from PostgreSQL in batches. */
    keyLimits: KeyLimiter;
    /** The same for service account credentials (each token request uses one). */
    credentialUsage: UsageRecorder;
    cursors: Cursors;
    /** Derives cookie sessions' CSRF tokens (sessions/sessions.ts), from the deployment's secret. */
    csrfKey: Buffer;
    /** Seals users' TOTP secrets at rest (mfa/totp.ts), under the deployment's secret. */
    mfaSecrets: SecretBox;
    /** Group commit per key (credits.consume groups concurrent debits, of any organizations, under one key). */
    batches: Batches;
    /** The keys that sign service accounts' access tokens. */
    signingKeys: SigningKeys;
    tokenTtlSeconds: number;
    tokenRequestLimits: { perClient: number; perAddress: number };
    /** The one way to fetch a URL a customer supplied (infra/guarded-fetch.ts). */
    fetch: GuardedFetch;
    /** TXT lookups for domain verification, through GATEHOUSE_DNS_SERVERS. */
    dns: TxtResolver;
    /** Seals webhook signing secrets at rest (they must open again to sign each delivery). */
    webhookSecrets: SecretBox;
    /** The deployment's Ed25519 key for `v1a,` webhook signatures; its public half is on the JWKS. */
    webhookKey: WebhookSigningKey;
    sso: {
      /** Seals SSO client secrets and PKCE verifiers at rest (a key of its own under the deployment secret). */
      secrets: SecretBox;
      /** Loopback issuers (and plain http) are allowed: development and tests only. */
      allowLoopback: boolean;
      /** Origins a sign-in may redirect to with its code: the server's own and the configured ones. */
      redirectOrigins: readonly string[];
    };
    stop(): Promise<void>;
  }
}

/** The runtime as createRuntime's caller holds it: with its job queue, to drain (tests) or stop. */
export type OwnedRuntime = Runtime & { queue: Queue };

/** The prefixes, current and replaced, of the keys whose prefix does not follow from their secret. */
async function legacyKeyPrefixes(orm: MikroORM): Promise<Set<string>> {
  const rows = await orm.em
    .fork()
    .execute<{ key_prefix: string; previous_key_prefix: string | null }[]>(
      'select key_prefix, previous_key_prefix from api_keys where legacy_prefix',
    );
  return new Set(rows.flatMap((r) => (r.previous_key_prefix ? [r.key_prefix, r.previous_key_prefix] : [r.key_prefix])));
}

/** A random secret every process shares, made by whichever asks first. */
async function storedSecret(orm: MikroORM, key: 'cursor_secret' | 'signing_secret'): Promise<string> {
  const em = orm.em.fork();
  await em.execute(
    `insert into deployment_settings (key, value, created_at) values (?, ?, now()) on conflict (key) do nothing`,
    [key, randomBytes(32).toString('base64url')],
  );
  const [row] = await em.execute<{ value: string }[]>(`select value from deployment_settings where key = ?`, [key]);
  if (!row) throw new Error(`${key} missing`);
  return row.value;
}

export async function createRuntime(options: RuntimeOptions): Promise<OwnedRuntime> {
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const principals = new PrincipalCache(options.principalTtlMs ?? 30_000);
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 15 * 60;
  const usage = new UsageRecorder(
    () => options.orm.em.fork(),
    (error) => log('could not record API key usage', error),
    options.usageFlushMs,
  );
  const keyLimits = new KeyLimiter(() => options.orm.em.fork());
  const credentialUsage = new UsageRecorder(
    () => options.orm.em.fork(),
    (error) => log('could not record credential usage', error),
    options.usageFlushMs,
    'service_account_credentials',
  );
  // Role permissions cached with the credentials depend on the catalogue: dropped whenever it is read.
  const catalogue = new Catalogue(options.orm, () => principals.invalidate({ all: true }), log);
  await catalogue.load();
  const invalidate = (event: Invalidation) => {
    principals.invalidate(event);
    // After a lost connection (all), a change to the catalogue may have been missed too.
    if (event.catalogue || event.all) void catalogue.reload();
    // A key's limits changed (or it stopped working): what this process leased for it is void. After a
    // lost connection (all), any key's may have.
    if (event.keyId || event.all) keyLimits.drop(event.keyId);
  };
  const listener = options.listenUrl ? listenForInvalidations(options.listenUrl, invalidate, log) : undefined;
  await listener?.ready;
  usage.start();
  credentialUsage.start();
  const throttle =
    options.throttle && 'hit' in options.throttle
      ? options.throttle
      : createThrottleStore(options.throttle ?? { store: 'memory' }, options.orm, log);
  // The generated one keeps its first user's name: renamed, the keys sealed under it would not open.
  const secret = options.secret ?? (await storedSecret(options.orm, 'signing_secret'));
  const dns = createTxtResolver({ servers: options.dnsServers ?? [] });
  const reverifyEveryMs = options.reverifyDomainsEveryMs ?? 3600_000;
  let reverifying: Promise<unknown> | undefined;
  const reverifier =
    reverifyEveryMs > 0
      ? setInterval(() => {
          // One pass at a time: a slow resolver does not stack them up.
          reverifying ??= reverifyDomains({ orm: options.orm, dns }, new Date())
            .catch((error) => log('could not re-verify domains', error))
            .finally(() => {
              reverifying = undefined;
            });
        }, reverifyEveryMs).unref()
      : undefined;
  const fetch = createGuardedFetch({
    allowLoopback: options.allowLoopbackUrls ?? false,
    ...(options.resolveHostnames ? { resolve: options.resolveHostnames } : {}),
  });
  const timeoutMs = options.queue?.deliveryTimeoutMs;
  // Deliveries go out through the one guarded fetcher: the receiver's address is checked at connect time,
  // no redirect is followed, 64 KB and 10 s (queue.deliveryTimeoutMs) at most. A status answer (2xx or not) is the attempt's result;
  // a refusal, a timeout or a private address throws and is recorded and retried. Connections to a
  // receiver are kept alive: a backlog goes to one endpoint. Over plain http that was worth about a tenth
  // of the drain (1,161-1,248 deliveries/s with a connection each, 1,295-1,384 kept alive); an https
  // receiver saves a TLS handshake per delivery.
  const send: WebhookSender = (request) =>
    fetch(request.url, {
      method: 'POST',
      keepAlive: true,
      headers: request.headers,
      body: request.body,
      ...(timeoutMs ? { timeoutMs } : {}),
    }).then(
      (response) => ({ status: response.status }),
      (error: unknown) => {
        if (error instanceof GuardedFetchError && error.status !== undefined) return { status: error.status };
        throw error;
      },
    );
  const embedded = options.embedded ?? false;
  const { keepDays, ...retries } = options.outbox ?? {};
  // A sender given (a test's), or none at all (`sender: undefined`: queued, never sent), wins.
  const queue = await startQueue(
    {
      sender: embedded ? undefined : send,
      ...options.queue,
      url: options.queue?.url ?? options.orm.config.get('clientUrl') ?? '',
      embedded,
    },
    {
      orm: options.orm,
      secret,
      mail: mailTask({ ...retries, orm: options.orm, transport: options.mail, secret, log }),
      prune: {
        task: async () => void (await pruneOutbox(options.orm.em.fork(), keepDays)),
        // Hourly: sent and dead mail older than keepDays (30) goes, a bounded batch at a time.
        crontab: `0 * * * * ${PRUNE_TASK}`,
      },
    },
    log,
  );
  return {
    orm: options.orm,
    embedded,
    queue,
    mailSecrets: mailSecrets(secret),
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    appUrl: (options.appUrl ?? options.publicUrl).replace(/\/+$/, ''),
    signupOpen: options.signupOpen ?? true,
    principals,
    legacyKeyPrefixes: await legacyKeyPrefixes(options.orm),
    catalogue,
    throttle,
    budgets: { ...defaultBudgets, ...options.budgets },
    usage,
    keyLimits,
    credentialUsage,
    cursors: new Cursors(await storedSecret(options.orm, 'cursor_secret')),
    csrfKey: createHmac('sha256', secret).update('gatehouse session csrf').digest(),
    mfaSecrets: new SecretBox(secret, 'mfa-totp-secret'),
    batches: new Batches(),
    signingKeys: new SigningKeys(options.orm, {
      secret,
      rotateAfterMs: options.signingKeyRotateAfterMs,
      // A retired key stays published while the tokens it signed may live (plus clock skew).
      retainMs: (tokenTtlSeconds + 300) * 1000,
    }),
    tokenTtlSeconds,
    tokenRequestLimits: options.tokenRequestLimits ?? { perClient: 60, perAddress: 300 },
    fetch,
    dns,
    sso: {
      secrets: new SecretBox(secret, 'sso'),
      allowLoopback: options.allowLoopbackUrls ?? false,
      redirectOrigins: [
        new URL(options.publicUrl).origin,
        ...(options.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin),
      ],
    },
    invalidate,
    // The embedded database runs mail only (README: "The job queue").
    deliveries: !embedded,
    webhookSecrets: webhookSecrets(secret),
    webhookKey: webhookSigningKey(secret),
    async stop() {
      clearInterval(reverifier);
      await reverifying;
      await usage.stop().catch((error) => log('could not record API key usage', error));
      await credentialUsage.stop().catch((error) => log('could not record credential usage', error));
      await keyLimits.release().catch((error) => log('could not give back leased key calls', error));
      await listener?.stop();
      await queue.stop();
      await options.mail.close();
      await throttle.close();
    },
  };
}
