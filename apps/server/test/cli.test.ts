// `corepack pnpm gatehouse`, run as a process on a database of its own: help, usage errors, and a
// bootstrap run again that says so instead of minting another never-expiring owner key.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './processes.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Runs the CLI (the source, through tsx's loader) and returns its exit code and both outputs. */
async function gatehouse(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await promisify(execFile)(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), 'apps/server/src/cli.ts', ...args],
    { cwd: root, env: { ...process.env, DATABASE_URL: db.url } },
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
  return { code: 'code' in result ? result.code : 0, stdout: result.stdout, stderr: result.stderr };
}

const apiKeys = async () =>
  Number((await db.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from api_keys'))[0]?.n);

describe('gatehouse CLI', () => {
  it('prints the commands and exits 0 for --help, -h and help', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { code, stdout, stderr } = await gatehouse(flag);
      expect({ flag, code, stderr }).toEqual({ flag, code: 0, stderr: '' });
      const lines = stdout.split('\n');
      expect(lines[0]).toBe('Usage: corepack pnpm gatehouse <command> [options]');
      expect(lines.filter((line) => /^ {2}\S/.test(line))).toEqual([
        '  bootstrap --email EMAIL --org NAME [--password PASSWORD] [--new-key] [--json]',
        '  help',
      ]);
    }
  });

  it('exits 2 with the usage for an unknown command or none', async () => {
    const unknown = await gatehouse('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^Unknown command: frobnicate\n\nUsage: corepack pnpm gatehouse <command>/);
    const none = await gatehouse();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: corepack pnpm gatehouse <command>/);
    const badOption = await gatehouse('bootstrap', '--email', 'x@example.com', '--org', 'X', '--frob');
    expect(badOption).toMatchObject({ code: 2, stdout: '' });
    expect(badOption.stderr).toMatch(/^Unknown option '--frob'/);
  });

  it('mints an owner key once; run again it says so and mints nothing unless --new-key', async () => {
    const args = ['bootstrap', '--email', 'root@example.com', '--org', 'Root', '--json'];
    const first = await gatehouse(...args);
    expect(first.code).toBe(0);
    const printed = JSON.parse(first.stdout) as { userId: string; organizationId: string; apiKey: string };
    expect(printed.apiKey).toMatch(/^gh_[a-z0-9]{8}_[0-9A-Za-z]{43}$/);
    expect(await apiKeys()).toBe(1);

    const again = await gatehouse(...args);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr.trim().split('\n').at(-1)).toBe(
      `root@example.com already owns Root (${printed.organizationId}) and holds 1 active API key there: ` +
        'no key minted. Pass --new-key to mint another owner key.',
    );
    expect(await apiKeys()).toBe(1);

    const explicit = await gatehouse(...args, '--new-key');
    expect(explicit.code).toBe(0);
    const minted = JSON.parse(explicit.stdout) as { userId: string; organizationId: string; apiKey: string };
    expect(minted).toMatchObject({ userId: printed.userId, organizationId: printed.organizationId });
    expect(minted.apiKey).not.toBe(printed.apiKey);
    expect(await apiKeys()).toBe(2);

    // Keys that no longer work (one revoked, one expired) do not count: the owner gets one again.
    await db.orm.em.fork().execute(
      `update api_keys set revoked_at = case when id = (select min(id) from api_keys) then now() end,
              expires_at = case when id <> (select min(id) from api_keys) then now() - interval '1 day' end`,
    );
    const recovered = await gatehouse(...args);
    expect(recovered.code).toBe(0);
    expect(JSON.parse(recovered.stdout).userId).toBe(printed.userId);
    expect(await apiKeys()).toBe(3);
    // Four cold CLI processes, each loading the sources through tsx: 20-29 s in CI beside two other test
    // files on two cores, and 30 s once; the default 30 s is for a test in one process.
  }, 90_000);
});
