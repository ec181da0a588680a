// The newcomer's path, end to end: the server on the embedded database with bootstrap variables,
// the CLI minting an owner key through the running server's socket, and the typed client.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGatehouseClient } from '@gatehouse/client';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, root, startServer as start, stopServer as stop, tsx } from './processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-embedded-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: '',
  GATEHOUSE_DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  ...extra,
});

async function startServer(port: number, extra: Record<string, string> = {}): Promise<ChildProcess> {
  // The first start runs initdb: seconds alone, past 30 s beside the whole suite on two shared cores.
  const child = await start(env({ PORT: String(port), ...extra }), 90_000);
  children.push(child);
  return child;
}

const run = promisify(execFile);

async function databaseVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query<{ version: string }>('select version()')).rows[0]?.version ?? '';
  } finally {
    await client.end().catch(() => {});
  }
}

describe('embedded default database', () => {
  let apiKey = '';
  const bootstrap = {
    GATEHOUSE_BOOTSTRAP_EMAIL: 'founder@example.com',
    GATEHOUSE_BOOTSTRAP_PASSWORD: 'correct horse battery staple',
    GATEHOUSE_BOOTSTRAP_ORG: 'Founders',
  };

  it('starts, bootstraps, mints a key through the CLI and answers whoami', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const server = await startServer(port, bootstrap);

    // The CLI opens no second copy of the data directory: it goes through the server's socket.
    const cli = await run(
      tsx,
      ['apps/server/src/cli.ts', 'bootstrap', '--email', 'founder@example.com', '--org', 'Founders', '--json'],
      {
        cwd: root,
        env: env({}),
      },
    );
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] as string) as { userId: string; organizationId: string; apiKey: string };
    expect(printed.apiKey).toMatch(/^gh_[a-z0-9]{8}_[0-9A-Za-z]{43}$/);
    apiKey = printed.apiKey;

    const me = await createGatehouseClient({ url: `http://127.0.0.1:${port}`, apiKey }).auth.whoami();
    expect(me).toMatchObject({
      userId: printed.userId,
      email: 'founder@example.com',
      roles: ['owner'],
      organization: { id: printed.organizationId, name: 'Founders' },
    });

    // The database socket answers only with the password kept in the 0600 owner.json.
    const owner = join(dataDir, 'owner.json');
    expect(statSync(owner).mode & 0o777).toBe(0o600);
    const { url } = JSON.parse(readFileSync(owner, 'utf8')) as { url: string };
    expect(await databaseVersion(url)).toMatch(/PostgreSQL/);
    const wrong = new URL(url);
    wrong.password = 'guess';
    await expect(databaseVersion(wrong.toString())).rejects.toMatchObject({ code: '28P01' });
    // No password at all is refused the same way, by the server (not "any error" on the way there).
    wrong.password = '';
    await expect(databaseVersion(wrong.toString())).rejects.toMatchObject({ code: '28P01' });

    // A second server on the same data directory would lose writes: it must refuse to start.
    await expect(startServer(await freePort())).rejects.toThrow(/in use by another Gatehouse process/);

    expect(await stop(server)).toBe(0);
    expect(existsSync(join(dataDir, 'owner.json'))).toBe(false);
  });

  it('keeps its data across a restart and does not bootstrap twice', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const server = await startServer(port, bootstrap);
    const client = createGatehouseClient({ url: `http://127.0.0.1:${port}`, apiKey });
    expect((await client.auth.whoami()).organization?.name).toBe('Founders');
    // Still exactly one user: the founder (who holds a key already, so another is asked for).
    const cli = await run(
      tsx,
      [
        'apps/server/src/cli.ts',
        'bootstrap',
        '--email',
        'FOUNDER@example.com',
        '--org',
        'Founders',
        '--new-key',
        '--json',
      ],
      {
        cwd: root,
        env: env({}),
      },
    );
    expect(JSON.parse(cli.stdout).userId).toBe((await client.auth.whoami()).userId);

    // The ledger and the outbox on the embedded database: grouped consumes, a hold, an invitation
    // whose email the development viewer shows (no SMTP_URL, not production).
    const organizationId = (await client.auth.whoami()).organization?.id as string;
    await client.credits.grant(organizationId, { amount: 10, type: 'purchase', idempotencyKey: 'p1' });
    const consumes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        client.credits.consume(organizationId, { amount: 1, reason: 'embedded', idempotencyKey: `c${i}` }),
      ),
    );
    expect(consumes.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    await client.credits.grant(organizationId, { amount: 5, type: 'grant', idempotencyKey: 'g1' });
    const hold = await client.credits.reserve(organizationId, { amount: 3, ttlSeconds: 60, idempotencyKey: 'h1' });
    await client.credits.capture(hold.reservationId, { amount: 2 });
    expect(await client.credits.balance(organizationId)).toMatchObject({ balance: 3, available: 3, totalUsed: 12 });
    await client.organizations.invite(organizationId, { email: 'newcomer@example.com' });
    let viewer = '';
    for (let i = 0; i < 50 && !viewer.includes('newcomer@example.com'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      viewer = await (await fetch(`http://127.0.0.1:${port}/dev/mail`)).text();
    }
    expect(viewer).toContain('/invitations/accept?token=ghi_');
    expect(await stop(server)).toBe(0);
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const result = await run(tsx, ['apps/server/src/main.ts'], { cwd: root, env: env({ PORT: 'eighty' }) }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr.trim()).toMatch(
      /^Invalid environment variable PORT: .*\(got "eighty"\)$/,
    );
  });
});
