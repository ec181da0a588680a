// Service accounts' tokens, one run, printed together: POST /oauth/token requests/s, offline
// verify() per second in one process, and auth.whoami by access token next to whoami by API key.
// The server runs in a child process of its own (whoami/serve-gatehouse.ts) on a fresh database
// (or DATABASE_URL's); the load generator is autocannon in this process.
import { join } from 'node:path';
import { bootstrapWithKey } from '@gatehouse/api';
import { createGatehouseClient, createTokenVerifier } from '@gatehouse/client';
import autocannon from 'autocannon';
import { startChild } from '../lib/children.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';

const connections = intEnv('CONNECTIONS', 32);
const duration = intEnv('DURATION', 10);
const verifySeconds = intEnv('VERIFY_SECONDS', 5);

interface Row {
  what: string;
  perSecond: number;
  p50?: number;
  p99?: number;
  non2xx?: number;
}

async function load(
  what: string,
  options: { url: string; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<Row> {
  const run = (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) =>
      autocannon({ ...options, connections, duration: seconds }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await run(2); // warm-up: JIT, pools, caches
  const result = await run(duration);
  return {
    what,
    perSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

await runBench(async () => {
  const db = await openDatabase(10);
  const owner = await bootstrapWithKey(db.orm.em.fork(), {
    email: `bench-${Date.now()}@example.com`,
    organization: 'Bench tokens',
    newKey: true,
  });
  const server = await startChild('gatehouse', join(import.meta.dirname, '../whoami/serve-gatehouse.ts'), {
    DATABASE_URL: db.url,
    TOKEN_REQUEST_LIMIT: '100000000',
  });
  const base = `http://127.0.0.1:${server.port}`;
  const gh = createGatehouseClient({ url: base, apiKey: owner.apiKey.key });
  const { organizationId } = owner;
  const sa = await gh.trpc.serviceAccounts.create.mutate({ organizationId, name: 'bench', role: 'member' });
  const cred = await gh.trpc.serviceAccounts.credentials.create.mutate({ organizationId, serviceAccountId: sa.id });
  const basic = `Basic ${Buffer.from(`${cred.clientId}:${cred.clientSecret}`).toString('base64')}`;
  const tokenRequest = {
    url: `${base}/oauth/token`,
    method: 'POST' as const,
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=members%3Aread',
  };
  const first = await fetch(tokenRequest.url, tokenRequest);
  if (first.status !== 200) throw new Error(`token request answered ${first.status}: ${await first.text()}`);
  const { access_token: token } = (await first.json()) as { access_token: string };

  const rows: Row[] = [];
  rows.push(await load('POST /oauth/token (Basic, scope narrowed)', tokenRequest));
  const whoami = `${base}/trpc/auth.whoami`;
  rows.push(await load('auth.whoami by access token', { url: whoami, headers: { authorization: `Bearer ${token}` } }));
  rows.push(
    await load('auth.whoami by API key', { url: whoami, headers: { authorization: `Bearer ${owner.apiKey.key}` } }),
  );

  // The server's publicUrl is http://127.0.0.1 (the issuer); its JWKS is on the child's port.
  const verifier = createTokenVerifier({
    issuer: 'http://127.0.0.1',
    audience: 'http://127.0.0.1',
    jwksUrl: `${base}/.well-known/jwks.json`,
  });
  await verifier.verify(token); // fetches the JWKS once
  let verified = 0;
  const until = performance.now() + verifySeconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) await verifier.verify(token);
    verified += 100;
  }
  rows.push({ what: 'offline verify() in one process (cached JWKS)', perSecond: Math.round(verified / verifySeconds) });

  console.log(`\nService account tokens — ${connections} connections, ${duration} s each, database ${db.note}`);
  console.log(`machine: ${(await import('node:os')).cpus().length} cores, node ${process.version}\n`);
  for (const r of rows) {
    const latency = r.p50 === undefined ? '' : `  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}`;
    console.log(`${r.what.padEnd(48)} ${String(r.perSecond).padStart(8)} /s${latency}`);
  }
}, 'stopping the server and dropping the database');
