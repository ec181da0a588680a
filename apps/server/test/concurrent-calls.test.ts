// A React page's burst against the real server, on each database: members lists, a user search, a
// REST list and GraphQL's listUsers at once, then one after another. On the embedded database every
// pooled connection shares one PostgreSQL session, where named prepared statements collided
// (500 `prepared statement "gh_0" already exists`, and every later members list failed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@gatehouse/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

const FOUNDER = 'founder@example.com';
const PASSWORD = 'correct horse battery staple';
const PEOPLE = [
  ['Ada Lovelace', 'ada@example.com'],
  ['Adele Goldberg', 'adele@example.com'],
  ['Grace Hopper', 'grace@example.com'],
  ['Alan Turing', 'alan@example.com'],
  ['Barbara Liskov', 'barbara@example.com'],
  ['Edsger Dijkstra', 'edsger@example.com'],
] as const;
const EVERYONE = [FOUNDER, ...PEOPLE.map(([, email]) => email)].sort();
// A prefix of a word of the name or of the email: Ada and Adele only.
const FOUND = ['ada@example.com', 'adele@example.com'];

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function databaseEnv(kind: 'embedded' | 'postgresql'): Promise<Record<string, string>> {
  if (kind === 'postgresql') {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    return { DATABASE_URL: db.url };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-concurrent-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return { DATABASE_URL: '', GATEHOUSE_DATA_DIR: dataDir };
}

type Rows = { items: { email: string }[] };
type TrpcRows = { result: { data: { json: Rows } } };

describe.each(['embedded', 'postgresql'] as const)('concurrent calls on the %s database', (kind) => {
  it('answers a burst of 40 mixed lists, then 10 in a row, each 200 with the right rows', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const env = { ...process.env, ...(await databaseEnv(kind)), PORT: String(port), LOG_LEVEL: 'info' };
    const bootstrap = { GATEHOUSE_BOOTSTRAP_EMAIL: FOUNDER, GATEHOUSE_BOOTSTRAP_PASSWORD: PASSWORD };
    // A new embedded database runs initdb first: seconds, more on a loaded machine.
    const server = await startServer({ ...env, ...bootstrap, GATEHOUSE_BOOTSTRAP_ORG: 'Founders' }, 90_000);
    cleanups.push(() => stopServer(server));
    // The server's error lines: a failure shows the database's own words.
    let log = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      log += chunk;
    });
    const errorLines = () => log.split('\n').filter((line) => /"level":(50|60)/.test(line));

    const url = `http://127.0.0.1:${port}`;
    const post = async (path: string, input: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ json: input }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: { data: { json: never } } }).result.data.json;
    };
    const { sessionToken } = await post('auth.login', { email: FOUNDER, password: PASSWORD });
    const auth = { authorization: `Bearer ${sessionToken}` };
    const whoami = await fetch(`${url}/trpc/auth.whoami`, { headers: auth });
    const { organization } = ((await whoami.json()) as { result: { data: { json: { organization: { id: string } } } } })
      .result.data.json;
    for (const [name, email] of PEOPLE) await post('users.create', { name, email, role: 'member' }, auth);

    const trpc = (path: string, input: unknown) =>
      fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: auth });
    // Each call, the emails of the rows it answers, and the emails it must answer.
    const calls: [() => Promise<Response>, (body: never) => string[], string[]][] = [
      [
        () => trpc('organizations.members', { organizationId: organization.id, limit: 50 }),
        (b: TrpcRows) => b.result.data.json.items.map((m) => m.email),
        EVERYONE,
      ],
      [
        () => trpc('users.list', { limit: 50 }),
        (b: TrpcRows) => b.result.data.json.items.map((u) => u.email),
        EVERYONE,
      ],
      [
        () => trpc('users.list', { search: 'ad', limit: 50 }),
        (b: TrpcRows) => b.result.data.json.items.map((u) => u.email),
        FOUND,
      ],
      [
        () => fetch(`${url}/api/v1/organizations/${organization.id}/members?limit=50`, { headers: auth }),
        (b: Rows) => b.items.map((m) => m.email),
        EVERYONE,
      ],
      [
        () =>
          fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth },
            body: JSON.stringify({ query: 'query { listUsers { ok activeUsers { email } } }' }),
          }),
        (b: { data: { listUsers: { activeUsers: { email: string }[] } } }) =>
          b.data.listUsers.activeUsers.map((u) => u.email),
        EVERYONE,
      ],
    ];
    // Status and sorted emails; the body itself when the status is not 200, so a failure shows why.
    const call = async (i: number) => {
      const [send, emails] = calls[i % calls.length] as (typeof calls)[number];
      const res = await send();
      const text = await res.text();
      return { status: res.status, emails: res.status === 200 ? emails(JSON.parse(text) as never).sort() : text };
    };
    const expected = (i: number) => ({ status: 200, emails: (calls[i % calls.length] as (typeof calls)[number])[2] });

    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i)));
    expect(errorLines()).toEqual([]);
    expect(burst).toEqual(Array.from({ length: 40 }, (_, i) => expected(i)));

    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await call(i));
    expect(sequential).toEqual(Array.from({ length: 10 }, (_, i) => expected(i)));
    expect(errorLines()).toEqual([]);
  });
});
