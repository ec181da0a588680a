// No live secret at rest on the embedded database: after a verification, a reset and an invitation
// mail, no file under the data directory (heap, WAL, anything) holds one of their tokens or a session
// token, while the server runs and after it stopped.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatehouseClient } from '@gatehouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-at-rest-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Which of `needles` occur in some file under `dir`, and how many files were read. */
function foundIn(dir: string, needles: string[]): { found: string[]; files: number } {
  const found = new Set<string>();
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    files++;
    for (const needle of needles) if (bytes.includes(needle)) found.add(needle);
  }
  return { found: [...found], files };
}

const linkToken = (page: string, path: string) => new RegExp(`${path}\\?token=([\\w-]+)`).exec(page)?.[1];

describe('embedded database at rest', () => {
  it('holds no token of a mailed link or a session in any file', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(
      {
        ...process.env,
        DATABASE_URL: '',
        GATEHOUSE_DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        PORT: String(port),
        GATEHOUSE_BOOTSTRAP_EMAIL: 'founder@example.com',
        GATEHOUSE_BOOTSTRAP_PASSWORD: 'correct horse battery staple',
        GATEHOUSE_BOOTSTRAP_ORG: 'Founders',
      },
      // A new data directory is initialised first: seconds alone, more on a busy machine.
      90_000,
    );
    children.push(server);

    const anon = createGatehouseClient({ url });
    const login = await anon.auth.login({
      email: 'founder@example.com',
      password: 'correct horse battery staple',
    });
    if (!('sessionToken' in login)) throw new Error('Expected a session, not a second-factor challenge');
    const { sessionToken } = login;
    const founder = createGatehouseClient({ url, accessToken: sessionToken });
    const organizationId = (await founder.auth.whoami()).organization?.id as string;
    await founder.organizations.invite(organizationId, { email: 'invitee@example.com' });
    const signedUp = await anon.auth.signup({
      email: 'newcomer@example.com',
      password: 'a sturdy passphrase 42',
      name: 'Newcomer',
    });
    await anon.auth.requestPasswordReset({ email: 'founder@example.com' });

    // The development viewer still shows the links: the worker opened the sealed messages to send them.
    let page = '';
    for (
      let i = 0;
      i < 100 && !['reset-password', 'verify-email', 'invitations/accept'].every((p) => page.includes(p));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      page = await (await fetch(`${url}/dev/mail`)).text();
    }
    const tokens = {
      reset: linkToken(page, 'reset-password'),
      verify: linkToken(page, 'verify-email'),
      invitation: linkToken(page, 'invitations/accept'),
      founderSession: sessionToken,
      newcomerSession: signedUp.sessionToken,
    };
    for (const [name, token] of Object.entries(tokens)) expect(token?.length, name).toBeGreaterThanOrEqual(40);
    const needles = Object.values(tokens) as string[];

    // The scan reads the tables' data: a plain column written by these calls is there.
    const running = foundIn(dataDir, [...needles, 'newcomer@example.com']);
    expect(running.files).toBeGreaterThan(100);
    expect(running.found).toEqual(['newcomer@example.com']);

    expect(await stopServer(server)).toBe(0);
    expect(foundIn(dataDir, needles).found).toEqual([]);
  });
});
