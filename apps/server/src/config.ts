import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const ZEnv = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: optional.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    ),
    GATEHOUSE_DATA_DIR: z.string().min(1).default('./.gatehouse'),
    GATEHOUSE_PUBLIC_URL: optional.pipe(z.url().optional()),
    GATEHOUSE_SECRET: optional.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    GATEHOUSE_BOOTSTRAP_EMAIL: optional.pipe(z.email().optional()),
    GATEHOUSE_BOOTSTRAP_PASSWORD: optional.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
    GATEHOUSE_BOOTSTRAP_ORG: optional.pipe(z.string().min(1).max(200).optional()),
    GATEHOUSE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    GATEHOUSE_SIGNUP: z.enum(['open', 'closed']).default('open'),
    SMTP_URL: optional.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
    SMTP_FROM: optional,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
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
  secret: string | undefined;
  bootstrap: { email: string; password: string; organization: string } | undefined;
  trustProxy: boolean;
  signupOpen: boolean;
  smtpUrl: string | undefined;
  smtpFrom: string | undefined;
  logLevel: string;
}

export class ConfigError extends Error {}

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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(cwd, e.GATEHOUSE_DATA_DIR),
    publicUrl: e.GATEHOUSE_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    secret: e.GATEHOUSE_SECRET,
    bootstrap:
      e.GATEHOUSE_BOOTSTRAP_EMAIL && e.GATEHOUSE_BOOTSTRAP_PASSWORD && e.GATEHOUSE_BOOTSTRAP_ORG
        ? {
            email: e.GATEHOUSE_BOOTSTRAP_EMAIL,
            password: e.GATEHOUSE_BOOTSTRAP_PASSWORD,
            organization: e.GATEHOUSE_BOOTSTRAP_ORG,
          }
        : undefined,
    trustProxy: e.GATEHOUSE_TRUST_PROXY === 'true',
    signupOpen: e.GATEHOUSE_SIGNUP === 'open',
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    logLevel: e.LOG_LEVEL,
  };
}
