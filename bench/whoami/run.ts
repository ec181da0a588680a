import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapWithKey, generateKey } from '@gatehouse/api';
import { newId } from '@gatehouse/db';
import autocannon from 'autocannon';
import { type Child, childCpuMicros, childQueryCount, startChild, stopChild } from '../lib/children.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { reportRow } from '../lib/results.js';
import { openClient } from '../lib/sql.js';
import { joined, median, round2, stats } from '../lib/stats.js';
import { summarizeProfile } from './profile.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const outDir = join(root, 'bench/out');

const connections = intEnv('CONNECTIONS', 64);
const duration = intEnv('DURATION', 10);
const warmup = intEnv('WARMUP', 2);
/**
 * The measured seconds of a case are split into ROUNDS, and every round measures every case in turn:
 * on a shared machine the neighbours' load drifts over a run, and measured one after the other the
 * first cases and the last saw different machines (whoami by key ranged 0.70–1.1× the bare route
 * between identical runs). Each case's req/s is its median round.
 */
const rounds = intEnv('ROUNDS', 5);
/**
 * Unmeasured seconds of a case's own load before each of its rounds. The cases share one Gatehouse
 * process, so without it a case pays for the one before it: after the members page (about 1 MB
 * allocated a call) its garbage was collected in the next case's window, and keys.verify, measured
 * next, read 0.89× where the same code read 1.05–1.08× measured alone.
 */
const settle = intEnv('SETTLE', 1);
const profiling = process.env.PROFILE === '1';
/** `ONLY=members`: measure only the Gatehouse targets whose name holds it (the bare route always runs). */
const only = process.env.ONLY;

const base62 = (n: number) =>
  Array.from(randomBytes(n), (b) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[b % 62]).join('');

/** An API key's parts, made as the server makes them (its prefix follows from its secret). */
function insertKey(userId: string, organizationId: string) {
  const { keyPrefix, key, secretHash } = generateKey();
  return { id: newId('key'), prefix: keyPrefix, key, secretHash, userId, organizationId };
}

/** A key in the format (gh_<8>_<43 base62>) that no server made: what a scanner or a typo presents. */
const randomKey = () => `gh_${base62(8).toLowerCase()}_${base62(43)}`;

// ---------------------------------------------------------------------------------------------
// Load

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** A POST (a tRPC mutation) with this body, made anew for every request. */
  post?: () => string;
  /** What every answer must say (its body), checked on every answer timed: one that does not is an error. */
  expect?: (body: string) => boolean;
  /** Count the queries the server sends per call (only the Gatehouse child counts them). */
  countQueries?: boolean;
}

/** One request by hand: the target must answer 200 (and as `expect` says) before it is worth loading. */
async function checkAnswers(target: Target): Promise<void> {
  const response = await fetch(
    target.url,
    target.post ? { method: 'POST', headers: target.headers, body: target.post() } : { headers: target.headers },
  );
  const body = await response.text();
  if (response.status !== 200 || (target.expect && !target.expect(body))) {
    throw new Error(
      `${target.name}: ${target.url} answered ${response.status}, not as expected: ${body.slice(0, 500)}`,
    );
  }
  console.log(`${target.name}: 200 ${body.slice(0, 160)}${body.length > 160 ? '…' : ''}`);
}

interface LoadResult {
  result: autocannon.Result;
  /** Latency of every 2xx response in ms, unrounded (autocannon's own histogram keeps whole ms). */
  latencies: Float64Array;
  /** process.hrtime of the start and end of the run, in microseconds. */
  window: [number, number];
  /** Answers `expect` refused (0 without one). */
  wrong: number;
}

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

function load(target: Target, seconds: number): Promise<LoadResult> {
  return new Promise((resolveLoad, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let wrong = 0;
    const started = nowMicros();
    const { post, expect } = target;
    const request: autocannon.Request = {
      ...(post ? { method: 'POST', body: post() } : {}),
      ...(post ? { setupRequest: (r: autocannon.Request) => ({ ...r, body: post() }) } : {}),
      ...(expect
        ? {
            onResponse: (status: number, body: string) => {
              if (status >= 200 && status < 300 && !expect(body)) wrong++;
            },
          }
        : {}),
    };
    const instance = autocannon(
      {
        url: target.url,
        headers: target.headers,
        connections,
        duration: seconds,
        ...(post || expect ? { requests: [request] } : {}),
      },
      (error, result) => {
        if (error) reject(error);
        else resolveLoad({ result, latencies: latencies.subarray(0, count), window: [started, nowMicros()], wrong });
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
  /** The slowest and the fastest round. */
  'rounds req/s': string;
  'errors/non-2xx': string;
  /** CPU the server process spent per response: steadier than requests/s on a shared machine. */
  'server CPU µs/req': number;
}

/** One request by hand, then `warmup` seconds of unmeasured load. */
async function prepare(target: Target): Promise<void> {
  await checkAnswers(target);
  console.log(`${target.name}: warming up ${warmup} s at ${connections} connections…`);
  await load(target, warmup);
}

interface Round {
  requestsPerSecond: number;
  requests: number;
  latencies: Float64Array;
  cpuMicros: number;
  failures: number;
  window: [number, number];
  /** Queries the server sent during the round (countQueries targets only). */
  queries?: number;
}

async function measureRound(target: Target, server: Child, seconds: number): Promise<Round> {
  if (settle > 0) await load(target, settle);
  // One IPC question at a time (each answer is the child's next message).
  const queriesBefore = target.countQueries ? await childQueryCount(server.process) : 0;
  const cpuBefore = await childCpuMicros(server.process);
  const { result, latencies, window, wrong } = await load(target, seconds);
  const cpuMicros = (await childCpuMicros(server.process)) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    latencies,
    cpuMicros,
    failures: result.errors + result.non2xx + wrong,
    window,
    ...(target.countQueries ? { queries: (await childQueryCount(server.process)) - queriesBefore } : {}),
  };
}

/** Queries per call over every round, for the cases that count them. */
function queriesPerCall(measured: Round[]): number | undefined {
  if (measured.some((r) => r.queries === undefined)) return undefined;
  const requests = measured.reduce((n, r) => n + r.requests, 0);
  return round2(measured.reduce((n, r) => n + (r.queries ?? 0), 0) / Math.max(1, requests));
}

interface Case {
  target: Target;
  server: Child;
  checked: string;
  /** The case whose req/s this one is compared with. */
  baseline?: string;
  rounds: Round[];
}

/** A case's row over its rounds: median req/s; latencies and CPU over every response of every round. */
function summarize(name: string, measured: Round[]): Row {
  const { p50, p99 } = stats(joined(measured.map((r) => r.latencies)));
  const requests = measured.reduce((n, r) => n + r.requests, 0);
  const spread = measured.map((r) => Math.round(r.requestsPerSecond));
  return {
    target: name,
    connections,
    'requests/s (avg)': Math.round(median(measured.map((r) => r.requestsPerSecond))),
    'rounds req/s': `${Math.min(...spread)}–${Math.max(...spread)}`,
    'p50 ms': round2(p50),
    'p99 ms': round2(p99),
    'errors/non-2xx': `${measured.reduce((n, r) => n + r.failures, 0)}`,
    'server CPU µs/req': Math.round(measured.reduce((n, r) => n + r.cpuMicros, 0) / Math.max(1, requests)),
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
    newKey: true,
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
  // The key a service asks keys.verify about (the owner's, no limits: it holds both permissions asked).
  const verifiedKey = insertKey(owner.userId, owner.organizationId);
  await db.query(
    `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, metadata, created_at, updated_at)
     values ($1, $2, $3, 'bench verified', $4, $5, '{}', now(), now())`,
    [verifiedKey.id, verifiedKey.prefix, verifiedKey.secretHash, owner.userId, owner.organizationId],
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
  const failures: string[] = [];

  // (a) Gatehouse: the real app in a process of its own, serving every Gatehouse target.
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
  // keys.verify (issue 27), asked with the owner's key (owners hold apiKeys:verify): a warm key with a
  // two-permission query, and random well-formed keys that exist nowhere (a new one every request).
  const verify = `http://127.0.0.1:${gatehouse.port}/trpc/keys.verify`;
  const verifyHeaders = { authorization: `Bearer ${owner.apiKey.key}`, 'content-type': 'application/json' };
  const permissions = 'projects:read and members:read';
  allTargets.push(
    {
      name: 'keys.verify (warm key, two-permission query)',
      url: verify,
      headers: verifyHeaders,
      post: () => JSON.stringify({ json: { key: verifiedKey.key, permissions } }),
      expect: (body) => body.includes('"valid":true') && body.includes('"code":"VALID"'),
      countQueries: true,
      checked: 'every answer valid:true',
    },
    {
      // The same service over REST (POST /api/v1/keys/verify): a server-side call, no tRPC HTTP envelope.
      name: 'keys.verify over REST (warm key, two-permission query)',
      url: `http://127.0.0.1:${gatehouse.port}/api/v1/keys/verify`,
      headers: verifyHeaders,
      post: () => JSON.stringify({ key: verifiedKey.key, permissions }),
      expect: (body) => body.includes('"valid":true') && body.includes('"code":"VALID"'),
      countQueries: true,
      checked: 'every answer valid:true',
    },
    {
      name: 'keys.verify (random invalid keys)',
      url: verify,
      headers: verifyHeaders,
      post: () => JSON.stringify({ json: { key: randomKey(), permissions } }),
      expect: (body) => body.includes('"valid":false') && body.includes('"code":"NOT_FOUND"'),
      countQueries: true,
      checked: 'every answer valid:false NOT_FOUND',
    },
    {
      name: 'keys.verify over REST (random invalid keys)',
      url: `http://127.0.0.1:${gatehouse.port}/api/v1/keys/verify`,
      headers: verifyHeaders,
      post: () => JSON.stringify({ key: randomKey(), permissions }),
      expect: (body) => body.includes('"valid":false') && body.includes('"code":"NOT_FOUND"'),
      countQueries: true,
      checked: 'every answer valid:false NOT_FOUND',
    },
  );
  const gatehouseTargets = allTargets.filter((target) => !only || target.name.includes(only));
  for (const target of gatehouseTargets) {
    if (target.name.startsWith('members')) {
      const page = (await (await fetch(target.url, { headers: target.headers })).json()) as {
        result: { data: { json: { items: unknown[] } } };
      };
      if (page.result.data.json.items.length !== 50) throw new Error('members: the page does not hold 50 members');
    }
  }

  // (b) The baselines, in a process of their own: bare Hono + pg, one primary-key lookup, and the
  // ceiling for a page: the same 50 members straight from SQL, no authentication or envelope.
  const bare = await startChild('bare', join(here, 'serve-bare.ts'), {
    DATABASE_URL: database.url,
    BENCH_USER_ID: owner.userId,
    BENCH_ORG_ID: owner.organizationId,
  });
  const BARE = 'bare Hono + pg, one primary-key lookup';
  const BARE_PAGE = 'bare Hono + pg, the same page of 50 members';
  const barePageUrl = `http://127.0.0.1:${bare.port}/members`;
  const barePageItems = ((await (await fetch(barePageUrl)).json()) as { items: unknown[] }).items.length;
  if (barePageItems !== 50) throw new Error(`bare page: ${barePageItems} members, not 50`);

  const cases: Case[] = [
    ...gatehouseTargets.map((target) => ({
      target,
      server: gatehouse,
      checked: target.checked,
      baseline: BARE,
      rounds: [],
    })),
    {
      target: { name: BARE, url: `http://127.0.0.1:${bare.port}/user`, headers: {} },
      server: bare,
      checked: 'every answer 200',
      rounds: [],
    },
    {
      target: { name: BARE_PAGE, url: barePageUrl, headers: {} },
      server: bare,
      checked: '50 items per answer',
      baseline: BARE,
      rounds: [],
    },
  ];
  for (const c of cases) await prepare(c.target);
  const seconds = Math.max(1, Math.round(duration / rounds));
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds}: ${seconds} s a case at ${connections} connections…`);
    for (const c of cases) c.rounds.push(await measureRound(c.target, c.server, seconds));
  }
  const gatehousePid = gatehouse.process.pid;
  await stopChild(gatehouse.process);
  await stopChild(bare.process);

  const rows = cases.map((c) => summarize(c.target.name, c.rounds));
  const byName = new Map(cases.map((c) => [c.target.name, c]));
  /** Per case, the median over rounds of its req/s against its baseline's in the same round. */
  const ratios = cases.map((c) => {
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    return base
      ? median(c.rounds.map((r, i) => r.requestsPerSecond / (base.rounds[i] as Round).requestsPerSecond))
      : undefined;
  });
  /** In how many rounds a case's p99 was not above its baseline's p99 of the same round. */
  const p99Rounds = cases.map((c) => {
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    if (!base) return undefined;
    const p99Of = (r: Round) => stats(r.latencies).p99;
    const held = c.rounds.filter((r, i) => p99Of(r) <= p99Of(base.rounds[i] as Round)).length;
    return `p99 ≤ bare's in ${held}/${c.rounds.length} rounds`;
  });
  for (const [i, c] of cases.entries()) {
    const row = rows[i] as Row;
    const ratio = ratios[i];
    if (row['errors/non-2xx'] !== '0') failures.push(`${c.target.name}: ${row['errors/non-2xx']} errors/non-2xx`);
    const perCall = queriesPerCall(c.rounds);
    reportRow({
      case: c.target.name,
      'req/s': row['requests/s (avg)'],
      'p50 ms': row['p50 ms'],
      'p99 ms': row['p99 ms'],
      'server CPU µs/req': row['server CPU µs/req'],
      checked: [c.checked, perCall === undefined ? undefined : `${perCall} queries/call`, p99Rounds[i]]
        .filter(Boolean)
        .join('; '),
      ...(c.baseline ? { baseline: c.baseline } : {}),
      ...(ratio === undefined ? {} : { ratio }),
    });
  }

  console.log();
  console.table(rows);
  for (const [i, c] of cases.entries()) {
    const ratio = ratios[i];
    if (ratio !== undefined)
      console.log(
        `${c.target.name}: ${ratio.toFixed(2)}× the bare route (median of the rounds' ratios), ${p99Rounds[i]}`,
      );
    const perCall = queriesPerCall(c.rounds);
    if (perCall !== undefined) console.log(`${c.target.name}: ${perCall} queries per call`);
  }
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
    // PROFILE_TARGET=<index> profiles another target's window (default 0, whoami by key): its last round.
    const profiled = (cases[Number(process.env.PROFILE_TARGET ?? 0)] ?? cases[0])?.rounds.at(-1);
    if (!profiled) throw new Error('PROFILE=1 but nothing was measured');
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
