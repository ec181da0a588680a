import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapWithKey } from '@gatehouse/api';
import { newId } from '@gatehouse/db';
import autocannon from 'autocannon';
import { type Child, childCpuMicros, startChild, stopChild } from '../lib/children.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { reportRow } from '../lib/results.js';
import { openClient } from '../lib/sql.js';
import { round2, stats } from '../lib/stats.js';
import { summarizeProfile } from './profile.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const outDir = join(root, 'bench/out');

const connections = intEnv('CONNECTIONS', 64);
const duration = intEnv('DURATION', 10);
const warmup = intEnv('WARMUP', 2);
const profiling = process.env.PROFILE === '1';
/** `ONLY=members`: measure only the Gatehouse targets whose name holds it (the bare route always runs). */
const only = process.env.ONLY;

/** An API key's parts, made the way api-keys/format.ts makes them (gh_<8>_<43 base62>). */
const base62 = (n: number) =>
  Array.from(randomBytes(n), (b) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[b % 62]).join('');

function insertKey(userId: string, organizationId: string) {
  const prefix = `gh_${base62(8).toLowerCase()}`;
  const secret = base62(43);
  return {
    id: newId('key'),
    prefix,
    key: `${prefix}_${secret}`,
    secretHash: createHash('sha256').update(secret).digest('hex'),
    userId,
    organizationId,
  };
}

// ---------------------------------------------------------------------------------------------
// Load

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** One request by hand: the target must answer 200 before it is worth loading. */
async function checkAnswers(target: Target): Promise<void> {
  const response = await fetch(target.url, { headers: target.headers });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`${target.name}: GET ${target.url} answered ${response.status}, not 200: ${body.slice(0, 500)}`);
  }
  console.log(`${target.name}: 200 ${body.slice(0, 160)}${body.length > 160 ? '…' : ''}`);
}

interface LoadResult {
  result: autocannon.Result;
  /** Latency of every 2xx response in ms, unrounded (autocannon's own histogram keeps whole ms). */
  latencies: Float64Array;
  /** process.hrtime of the start and end of the run, in microseconds. */
  window: [number, number];
}

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

function load(target: Target, seconds: number): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const started = nowMicros();
    const instance = autocannon(
      { url: target.url, headers: target.headers, connections, duration: seconds },
      (error, result) => {
        if (error) reject(error);
        else resolveLoad({ result, latencies: latencies.subarray(0, count), window: [started, nowMicros()] });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const status = Number(statusCode);
      if (status < 200 || status >= 300) return;
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
    });
  });
}

interface Row {
  target: string;
  connections: number;
  'requests/s (avg)': number;
  'p50 ms': number;
  'p99 ms': number;
  'errors/non-2xx': string;
  /** CPU the server process spent per response: steadier than requests/s on a shared machine. */
  'server CPU µs/req': number;
}

async function measure(
  target: Target,
  server: Child,
): Promise<{ row: Row; window: [number, number]; failures: number }> {
  await checkAnswers(target);
  console.log(`${target.name}: warming up ${warmup} s at ${connections} connections…`);
  await load(target, warmup);
  console.log(`${target.name}: measuring ${duration} s at ${connections} connections…`);
  const cpuBefore = await childCpuMicros(server.process);
  const { result, latencies, window } = await load(target, duration);
  const cpu = (await childCpuMicros(server.process)) - cpuBefore;
  const { p50, p99 } = stats(latencies);
  return {
    row: {
      target: target.name,
      connections,
      'requests/s (avg)': Math.round(result.requests.average),
      'p50 ms': round2(p50),
      'p99 ms': round2(p99),
      'errors/non-2xx': `${result.errors}/${result.non2xx}`,
      'server CPU µs/req': Math.round(cpu / Math.max(1, result.requests.total)),
    },
    window,
    failures: result.errors + result.non2xx,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

/** Share of all cores busy over one second (Linux /proc/stat), while this process waits; null elsewhere. */
async function machineBusy(): Promise<number | null> {
  const read = () => {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { idle, total: fields.reduce((sum, n) => sum + n, 0) };
  };
  try {
    const before = read();
    await new Promise((done) => setTimeout(done, 1000));
    const after = read();
    return after.total > before.total ? 1 - (after.idle - before.idle) / (after.total - before.total) : null;
  } catch {
    return null;
  }
}

async function main() {
  const database = await openDatabase(2);

  const owner = await bootstrapWithKey(database.orm.em.fork(), {
    email: 'bench-whoami@example.com',
    organization: 'Bench',
  });
  console.log(`database ${database.note}; owner ${owner.userId}, key ${owner.apiKey.key.slice(0, 12)}…`);

  // The same owner signed in (a session), and a key with a rate limit and remaining calls set high
  // enough never to refuse: what the limits cost on a call that passes them.
  const db = await openClient(database.url);
  const session = `ghs_${base62(43)}`;
  await db.query(
    `insert into sessions (id, token_hash, user_id, expires_at, created_at, updated_at)
     values ($1, $2, $3, now() + interval '12 hours', now(), now())`,
    [newId('ses'), createHash('sha256').update(session).digest('hex'), owner.userId],
  );
  const limitedKey = insertKey(owner.userId, owner.organizationId);
  await db.query(
    `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, rate_limit_max,
       rate_limit_window_seconds, remaining, metadata, created_at, updated_at)
     values ($1, $2, $3, 'bench limited', $4, $5, 1000000, 60, 1000000000, '{}', now(), now())`,
    [limitedKey.id, limitedKey.prefix, limitedKey.secretHash, owner.userId, owner.organizationId],
  );
  // 200 members, so a page of 50 is a real page.
  await db.query(
    `insert into users (id, email, name, status, created_at, updated_at)
     select 'usr_bench' || lpad(i::text, 21, '0'), 'member' || i || '@bench.test', 'Member ' || i, 'active', now(), now()
       from generate_series(1, 200) i on conflict do nothing`,
  );
  await db.query(
    `insert into memberships (id, organization_id, user_id, role, created_at, updated_at)
     select 'mem_bench' || lpad(i::text, 21, '0'), $1, 'usr_bench' || lpad(i::text, 21, '0'), 'member', now(), now()
       from generate_series(1, 200) i on conflict do nothing`,
    [owner.organizationId],
  );
  // Statistics, as any database in use has them: without them the planner guesses a nested loop over
  // the fresh tables and a page costs several times what it does in production.
  await db.query('analyze');
  await db.end();
  const membersInput = encodeURIComponent(
    JSON.stringify({ json: { organizationId: owner.organizationId, limit: 50 } }),
  );

  const busy = await machineBusy();
  if (busy !== null && busy > 0.2) {
    console.warn(`note: the machine was ${Math.round(busy * 100)}% busy just before the run: expect noisy numbers`);
  }
  const rows: Row[] = [];
  const failures: string[] = [];

  // (a) Gatehouse: tRPC auth.whoami with an API key.
  if (profiling) mkdirSync(outDir, { recursive: true });
  const gatehouse = await startChild(
    'gatehouse',
    join(here, 'serve-gatehouse.ts'),
    { DATABASE_URL: database.url },
    profiling ? ['--cpu-prof', `--cpu-prof-dir=${outDir}`] : [],
  );
  const allTargets: (Target & { checked: string })[] = [
    {
      name: 'whoami (API key)',
      url: `http://127.0.0.1:${gatehouse.port}/trpc/auth.whoami`,
      headers: { authorization: `Bearer ${owner.apiKey.key}` },
      checked: 'every answer 200',
    },
    {
      name: 'whoami (session)',
      url: `http://127.0.0.1:${gatehouse.port}/trpc/auth.whoami`,
      headers: { authorization: `Bearer ${session}` },
      checked: 'every answer 200',
    },
    {
      name: 'whoami (key with rateLimit + remaining)',
      url: `http://127.0.0.1:${gatehouse.port}/trpc/auth.whoami`,
      headers: { authorization: `Bearer ${limitedKey.key}` },
      checked: 'every answer 200',
    },
    {
      name: 'members page of 50',
      url: `http://127.0.0.1:${gatehouse.port}/trpc/organizations.members?input=${membersInput}`,
      headers: { authorization: `Bearer ${owner.apiKey.key}` },
      checked: '50 items per answer',
    },
  ];
  const gatehouseTargets = allTargets.filter((target) => !only || target.name.includes(only));
  const measured: Awaited<ReturnType<typeof measure>>[] = [];
  for (const target of gatehouseTargets) {
    if (target.name.startsWith('members')) {
      const page = (await (await fetch(target.url, { headers: target.headers })).json()) as {
        result: { data: { json: { items: unknown[] } } };
      };
      if (page.result.data.json.items.length !== 50) throw new Error('members: the page does not hold 50 members');
    }
    const result = await measure(target, gatehouse);
    measured.push(result);
    rows.push(result.row);
    if (result.failures) failures.push(`${target.name}: ${result.row['errors/non-2xx']} errors/non-2xx`);
  }
  const whoami = measured[0] as Awaited<ReturnType<typeof measure>>;
  const gatehousePid = gatehouse.process.pid;
  await stopChild(gatehouse.process);

  // (b) The baseline: bare Hono + pg, one primary-key lookup.
  const bare = await startChild('bare', join(here, 'serve-bare.ts'), {
    DATABASE_URL: database.url,
    BENCH_USER_ID: owner.userId,
    BENCH_ORG_ID: owner.organizationId,
  });
  const baseline = await measure({ name: 'bare', url: `http://127.0.0.1:${bare.port}/user`, headers: {} }, bare);
  rows.push(baseline.row);
  if (baseline.failures) failures.push(`bare: ${baseline.row['errors/non-2xx']} errors/non-2xx`);
  // The ceiling for a page: the same 50 members straight from SQL, no authentication or envelope.
  const barePageUrl = `http://127.0.0.1:${bare.port}/members`;
  const barePageItems = ((await (await fetch(barePageUrl)).json()) as { items: unknown[] }).items.length;
  if (barePageItems !== 50) throw new Error(`bare page: ${barePageItems} members, not 50`);
  const barePage = await measure({ name: 'bare page', url: barePageUrl, headers: {} }, bare);
  rows.push(barePage.row);
  if (barePage.failures) failures.push(`bare page: ${barePage.row['errors/non-2xx']} errors/non-2xx`);
  await stopChild(bare.process);

  const BARE = 'bare Hono + pg, one primary-key lookup';
  const report = (name: string, row: (typeof baseline)['row'], checked: string, baselineCase?: string) =>
    reportRow({
      case: name,
      'req/s': row['requests/s (avg)'],
      'p50 ms': row['p50 ms'],
      'p99 ms': row['p99 ms'],
      'server CPU µs/req': row['server CPU µs/req'],
      checked,
      ...(baselineCase ? { baseline: baselineCase } : {}),
    });
  for (const [i, target] of gatehouseTargets.entries()) {
    report(target.name, (measured[i] as Awaited<ReturnType<typeof measure>>).row, target.checked, BARE);
  }
  report(BARE, baseline.row, 'every answer 200');
  report('bare Hono + pg, the same page of 50 members', barePage.row, '50 items per answer', BARE);

  console.log();
  console.table(rows);
  const ratio = whoami.row['requests/s (avg)'] / baseline.row['requests/s (avg)'];
  console.log(
    `whoami/bare throughput: ${ratio.toFixed(2)}x (target >= 0.90x; whoami p99 ${whoami.row['p99 ms']} ms, target < 10 ms)`,
  );
  if (failures.length) {
    console.error(`\n!!! THIS RUN HAD ERRORS; ITS NUMBERS ARE NOT VALID: ${failures.join('; ')} !!!\n`);
    process.exitCode = 1;
  }

  if (profiling) {
    const file = readdirSync(outDir)
      .filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${gatehousePid}.`))
      .sort()
      .pop();
    if (!file) throw new Error(`PROFILE=1 but no .cpuprofile of pid ${gatehousePid} in ${outDir}`);
    const path = join(outDir, file);
    console.log(`\nCPU profile of the Gatehouse child: ${path}`);
    // PROFILE_TARGET=<index> profiles another target's window (default 0, whoami by key).
    const profiled = measured[Number(process.env.PROFILE_TARGET ?? 0)] ?? whoami;
    const summary = summarizeProfile(path, { root: `${root}/`, top: 15, window: profiled.window });
    console.log(
      `${summary.totalSamples} samples, ${summary.windowed ? 'during the measured run only' : 'whole process (the run window matched no samples)'}; top 15 by self time:`,
    );
    const pct = (n: number) => `${n.toFixed(1)}%`;
    console.table(summary.functions.map((f) => ({ self: pct(f.percent), samples: f.samples, function: f.name })));
    console.log('self time by package:');
    console.table(summary.packages.map((p) => ({ self: pct(p.percent), samples: p.samples, package: p.name })));
  }
}

await runBench(main, 'stopping the servers and cleaning up');
