import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './client-address.js';

const port = z.coerce.number().int().min(1).max(65535);
const perHour = z.coerce.number().int().min(1).max(1_000_000);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** `1.2.3.4`, `1.2.3.4:53`, `::1` or `[::1]:53`, as node's Resolver.setServers takes them. */
function isDnsServer(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(entry);
  const [address, port] = bracketed ? [bracketed[1], bracketed[2]] : v4 ? [v4[1], v4[2]] : [entry, undefined];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return isIP(address ?? '') !== 0;
}

const ZEnv = z
  .object({
    PORT: port.default(3000),
    NODE_ENV: optional,
    // Unset: loopback in development (a laptop's server is not the network's), every interface in production.
    HOST: optional,
    DATABASE_URL: optional.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    ),
    GATEHOUSE_DATA_DIR: z.string().min(1).default('./.gatehouse'),
    GATEHOUSE_PUBLIC_URL: optional.pipe(z.url().optional()),
    GATEHOUSE_APP_URL: optional.pipe(z.url().optional()),
    GATEHOUSE_SECRET: optional.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    GATEHOUSE_BOOTSTRAP_EMAIL: optional.pipe(z.email().optional()),
    GATEHOUSE_BOOTSTRAP_PASSWORD: optional.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
    GATEHOUSE_BOOTSTRAP_ORG: optional.pipe(z.string().min(1).max(200).optional()),
    GATEHOUSE_TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx) => {
        const trust = parseTrustProxy(v);
        if (trust instanceof Error) ctx.addIssue({ code: 'custom', message: trust.message });
        return trust instanceof Error ? false : trust;
      }),
    GATEHOUSE_CORS_ORIGINS: optional.pipe(
      z
        .string()
        .transform((v) => v.split(',').map((o) => o.trim()))
        .pipe(z.array(z.union([z.literal('*'), z.url().transform((u) => new URL(u).origin)])))
        .optional(),
    ),
    GATEHOUSE_BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    GATEHOUSE_THROTTLE_STORE: optional.pipe(z.enum(['memory', 'postgres', 'redis']).optional()),
    REDIS_URL: optional.pipe(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
    GATEHOUSE_INVITES_PER_HOUR: perHour.default(200),
    GATEHOUSE_ORGANIZATIONS_PER_HOUR: perHour.default(10),
    GATEHOUSE_SIGNUP: z.enum(['open', 'closed']).default('open'),
    GATEHOUSE_METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    GATEHOUSE_PERMISSIONS_FILE: optional,
    SMTP_URL: optional.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
    SMTP_FROM: optional,
    // Resolvers that prove domain claims (DNS TXT): `ip` or `ip:port`, comma-separated; unset, the system's.
    GATEHOUSE_DNS_SERVERS: optional.pipe(
      z
        .string()
        .transform((v) => v.split(',').map((s) => s.trim()))
        .pipe(z.array(z.string().refine(isDnsServer, 'must be a comma list of ip or ip:port ([v6]:port)')))
        .optional(),
    ),
    // Test and development only: customer-supplied URLs (SSO discovery, metadata, webhooks) may then
    // point at this machine. Refused in production.
    GATEHOUSE_ALLOW_LOOPBACK_URLS: z.enum(['true', 'false']).default('false'),
    // Origins besides the server's own that an SSO sign-in may hand its one-time code to (comma-separated).
    GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: optional.pipe(
      z
        .string()
        .transform((v) => v.split(',').map((s) => s.trim()))
        .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma list of http(s) origins' })))
        .optional(),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.GATEHOUSE_ALLOW_LOOPBACK_URLS === 'true' && env.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEHOUSE_ALLOW_LOOPBACK_URLS'],
        message: 'is for development and tests: never with NODE_ENV=production',
      });
    }
    if (env.GATEHOUSE_THROTTLE_STORE === 'redis' && !env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['GATEHOUSE_THROTTLE_STORE'], message: 'redis needs REDIS_URL' });
    }
    // Bootstrap is all or nothing: never an admin without a password, nor one with a default.
    const keys = ['GATEHOUSE_BOOTSTRAP_EMAIL', 'GATEHOUSE_BOOTSTRAP_PASSWORD', 'GATEHOUSE_BOOTSTRAP_ORG'] as const;
    const set = keys.filter((k) => env[k] !== undefined);
    if (set.length > 0 && set.length < keys.length) {
      for (const k of keys.filter((k) => env[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `is required when ${set.join(' and ')} is set` });
      }
    }
  });

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  /** GATEHOUSE_APP_URL: where mailed links (verify, reset, invitation) point; default publicUrl's hosted pages. */
  appUrl: string | undefined;
  secret: string | undefined;
  bootstrap: { email: string; password: string; organization: string } | undefined;
  production: boolean;
  trustProxy: TrustProxy;
  corsOrigins: string[];
  bodyLimit: number;
  throttle: { store: 'memory' } | { store: 'postgres' } | { store: 'redis'; url: string };
  budgets: { invitesPerHour: number; organizationsPerHour: number };
  signupOpen: boolean;
  /** GATEHOUSE_METRICS_TOKEN: /metrics answers a Bearer of it; unset, there is no /metrics. */
  metricsToken: string | undefined;
  /** GATEHOUSE_PERMISSIONS_FILE: registered permissions to load at start (JSON `[{ key, description?, grantedTo? }]`). */
  permissionsFile: string | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string | undefined;
  logLevel: string;
  /** GATEHOUSE_DNS_SERVERS: where domain claims are checked (empty: the system's resolvers). */
  dnsServers: string[];
  /** GATEHOUSE_ALLOW_LOOPBACK_URLS: the guarded fetcher may reach loopback (never in production). */
  allowLoopbackUrls: boolean;
  /** GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: where an SSO sign-in may redirect besides publicUrl. */
  allowedRedirectOrigins: string[];
}

export class ConfigError extends Error {}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether the development mail viewer (/dev/mail, without SMTP) may be served. Its links are live
 * credentials (anyone's password reset), so only to this machine: never in production, never when
 * listening beyond loopback.
 */
export const devMailAllowed = (config: Pick<Config, 'production' | 'host'>) =>
  !config.production && isLoopback(config.host);

/** Reads and validates the environment; a bad variable is one line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const value = env[name];
    throw new ConfigError(
      `Invalid environment variable ${name}: ${issue?.message}${value && !/PASSWORD|SECRET/.test(name) ? ` (got "${value}")` : ''}`,
    );
  }
  const e = parsed.data;
  // Relative paths are taken from where the command was typed (pnpm runs scripts elsewhere).
  const cwd = env.INIT_CWD ?? process.cwd();
  const production = e.NODE_ENV === 'production';
  const store = e.GATEHOUSE_THROTTLE_STORE ?? (e.REDIS_URL ? 'redis' : 'memory');
  return {
    port: e.PORT,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(cwd, e.GATEHOUSE_DATA_DIR),
    publicUrl: e.GATEHOUSE_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    appUrl: e.GATEHOUSE_APP_URL,
    secret: e.GATEHOUSE_SECRET,
    bootstrap:
      e.GATEHOUSE_BOOTSTRAP_EMAIL && e.GATEHOUSE_BOOTSTRAP_PASSWORD && e.GATEHOUSE_BOOTSTRAP_ORG
        ? {
            email: e.GATEHOUSE_BOOTSTRAP_EMAIL,
            password: e.GATEHOUSE_BOOTSTRAP_PASSWORD,
            organization: e.GATEHOUSE_BOOTSTRAP_ORG,
          }
        : undefined,
    production,
    trustProxy: e.GATEHOUSE_TRUST_PROXY,
    corsOrigins: e.GATEHOUSE_CORS_ORIGINS ?? [],
    bodyLimit: e.GATEHOUSE_BODY_LIMIT,
    throttle: store === 'redis' ? { store, url: e.REDIS_URL as string } : { store },
    budgets: { invitesPerHour: e.GATEHOUSE_INVITES_PER_HOUR, organizationsPerHour: e.GATEHOUSE_ORGANIZATIONS_PER_HOUR },
    signupOpen: e.GATEHOUSE_SIGNUP === 'open',
    metricsToken: e.GATEHOUSE_METRICS_TOKEN,
    permissionsFile: e.GATEHOUSE_PERMISSIONS_FILE ? resolve(cwd, e.GATEHOUSE_PERMISSIONS_FILE) : undefined,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    logLevel: e.LOG_LEVEL,
    allowLoopbackUrls: e.GATEHOUSE_ALLOW_LOOPBACK_URLS === 'true',
    dnsServers: e.GATEHOUSE_DNS_SERVERS ?? [],
    allowedRedirectOrigins: (e.GATEHOUSE_ALLOWED_REDIRECT_ORIGINS ?? []).map((url) => new URL(url).origin),
  };
}
