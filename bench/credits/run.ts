import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bootstrapWithKey } from '@gatehouse/api';
import { newId } from '@gatehouse/db';
import autocannon from 'autocannon';
import pg from 'pg';
import { childCpuMicros, startChild, stopChild } from '../lib/children.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { reportRow } from '../lib/results.js';
import { openClient } from '../lib/sql.js';
import { joined, median, round2, stats } from '../lib/stats.js';
import { summarizeProfile } from '../whoami/profile.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');

const connections = intEnv('CONNECTIONS', 64);
const duration = intEnv('DURATION', 10);
const warmup = intEnv('WARMUP', 2);
/** (a) and (b) share DURATION in this many interleaved rounds; consumes/s is the median round. */
const rounds = intEnv('ROUNDS', 5);
const orgCount = intEnv('ORGS', 64);
const limited = intEnv('LIMITED', 3000);
/** The ORM's default pool, which the server uses. */
const serverPool = 10;
/** PROFILE=1: the server runs under --cpu-prof, and its self time during case (b) is printed. */
const profiling = process.env.PROFILE === '1';
const outDir = join(root, 'bench/out');
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

// ---------------------------------------------------------------------------------------------
// The server, in a process of its own (the whoami benchmark's child: the real app as main.ts builds it)

// ---------------------------------------------------------------------------------------------
// Organizations

interface Org {
  organizationId: string;
  key: string;
}

/** A tRPC mutation over HTTP, as a client sends it (superjson's envelope). */
async function mutate(port: number, key: string, path: string, input: unknown): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Load

interface Outcome {
  ok: number;
  refused: number;
  other: number;
  errors: number;
  latencies: Float64Array;
  seconds: number;
}

/** 64 connections POSTing credits.consume of 1 credit, each request with a fresh idempotency key. */
function load(port: number, orgs: Org[], seconds: number): Promise<Outcome> {
  let next = 0;
  let sequence = 0;
  let latencies = new Float64Array(1 << 16);
  const outcome = { ok: 0, refused: 0, other: 0, errors: 0 };
  return new Promise((resolveLoad, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/trpc/credits.consume',
            setupRequest: (request, context: { org?: Org }) => {
              // Each connection sticks to one organization: with 64 organizations, one each.
              context.org ??= orgs[next++ % orgs.length] as Org;
              const { organizationId, key } = context.org;
              const input = {
                organizationId,
                amount: 1,
                reason: 'bench',
                idempotencyKey: `b-${++sequence}-${Date.now()}`,
              };
              return {
                ...request,
                headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
                body: JSON.stringify({ json: input }),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        outcome.errors = result.errors + result.timeouts;
        resolveLoad({
          ...outcome,
          latencies: latencies.subarray(0, outcome.ok),
          seconds: (performance.now() - started) / 1000,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) {
        if (outcome.ok === latencies.length) {
          const bigger = new Float64Array(latencies.length * 2);
          bigger.set(latencies);
          latencies = bigger;
        }
        latencies[outcome.ok++] = responseTime;
      } else if (statusCode === 412) outcome.refused++;
      else outcome.other++;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The ledger afterwards

interface Ledger {
  organization_id: string;
  balance: string;
  held: string;
  ledger: string;
  usages: number;
}

async function ledgers(db: pg.Client, orgs: Org[]): Promise<Ledger[]> {
  const { rows } = await db.query<Ledger>(
    `select a.organization_id, a.balance, a.held,
            (select coalesce(sum(amount), 0) from credit_transactions t where t.organization_id = a.organization_id) as ledger,
            (select count(*)::int from credit_transactions t where t.organization_id = a.organization_id and t.type = 'usage') as usages
       from credit_accounts a where a.organization_id = any($1)`,
    [orgs.map((o) => o.organizationId)],
  );
  return rows;
}

/**
 * Zero oversell: every balance ≥ 0 and equal to its ledger, and one usage row per 200. autocannon
 * stops with up to one request per connection in flight, which may commit unseen: the rows may
 * exceed the 200s by at most `connections`, never fall short.
 */
async function checkLedgers(
  db: pg.Client,
  orgs: Org[],
  before: Map<string, number>,
  ok: number,
): Promise<{ problems: string[]; usages: number; balance: bigint }> {
  const problems: string[] = [];
  let usages = 0;
  let balance = 0n;
  for (const l of await ledgers(db, orgs)) {
    if (BigInt(l.balance) < 0n) problems.push(`${l.organization_id}: balance ${l.balance} < 0`);
    if (l.ledger !== l.balance) problems.push(`${l.organization_id}: ledger ${l.ledger} != balance ${l.balance}`);
    usages += l.usages - (before.get(l.organization_id) ?? 0);
    balance += BigInt(l.balance);
  }
  if (usages < ok || usages > ok + connections) {
    problems.push(`${usages} new usage rows for ${ok} successful consumes (at most ${connections} more allowed)`);
  }
  return { problems, usages, balance };
}

const settle = () => new Promise((done) => setTimeout(done, 500));

const usageCounts = async (db: pg.Client, orgs: Org[]) =>
  new Map((await ledgers(db, orgs)).map((l) => [l.organization_id, l.usages]));

/**
 * Commits that wrote usage rows for `orgs`: usage rows / commits is the mean consume batch. One
 * commit carries the rows of many organizations, so they are counted over all of them at once, by
 * the transaction that inserted each row (xmin), never per organization and summed.
 */
async function commitCount(db: pg.Client, orgs: Org[]): Promise<number> {
  const { rows } = await db.query<{ commits: number }>(
    `select count(distinct xmin::text)::int as commits from credit_transactions
      where organization_id = any($1) and type = 'usage'`,
    [orgs.map((o) => o.organizationId)],
  );
  return rows[0]?.commits ?? 0;
}

// ---------------------------------------------------------------------------------------------
// (d) The statement alone: a pg pool of the server's size, `connections` callers, one hot account.

// The shape of consume.ts' one statement (debit where available covers it, ledger row, audit row).
const BARE_CONSUME = `
with account as (
  update credit_accounts a set balance = a.balance - $1, total_used = a.total_used + $1, updated_at = now()
   where a.organization_id = $2 and a.balance - a.held >= $1
     and (a.low_balance_alerted or a.balance - $1 >= coalesce(
           (select round((o.settings->>'lowBalanceThreshold')::numeric * 1000000)::bigint from organizations o where o.id = $2), 0))
  returning a.balance
), ledger as (
  insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
         actor_id, reason, metadata, created_at)
  select $3, $2, 'usage', -$1::bigint, balance, $3, 'apiKey', 'key_bench', 'bench', '{}', now() from account
  returning *
), audit as (
  insert into audit_events (id, organization_id, actor_type, actor_id, action, target_type, target_id, changes, created_at)
  select $4, $2, 'apiKey', 'key_bench', 'credits.usage', 'creditTransaction', $3, '{}', now() from account
)
select id from ledger`;

async function bareLoop(url: string, orgs: Org[], seconds: number, settings: string) {
  const pool = new pg.Pool({ connectionString: url, max: serverPool, options: settings });
  let done = 0;
  let refused = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      const org = orgs[i % orgs.length] as Org;
      while (performance.now() < until) {
        const started = performance.now();
        const { rows } = await pool.query(BARE_CONSUME, ['1000000', org.organizationId, newId('txn'), newId('evt')]);
        if (rows.length) {
          done++;
          latencies.push(performance.now() - started);
        } else refused++;
      }
    }),
  );
  await pool.end();
  const { p50, p99 } = stats(Float64Array.from(latencies));
  return { perSecond: Math.round(done / seconds), p50: round2(p50), p99: round2(p99), refused };
}

// ---------------------------------------------------------------------------------------------
// Main

interface Round {
  outcome: Outcome;
  /** Server CPU, µs. */
  cpu: number;
  usages: number;
  commits: number;
  oversold: boolean;
  window: [number, number];
}

interface Row {
  case: string;
  'consumes/s': number;
  /** The slowest and the fastest round. */
  'rounds consumes/s': string;
  'p50 ms': number;
  'p99 ms': number;
  ok: number;
  'refused (412)': number;
  'errors/other': string;
  'usage rows': number;
  oversell: string;
  'server CPU µs/req': number;
  'consumes/commit': number;
}

async function main() {
  const database = await openDatabase(2);
  const db = await openClient(database.url);
  console.log(`database ${database.note}`);

  const bootstrap = async (tag: string): Promise<Org> => {
    const owner = await bootstrapWithKey(database.orm.em.fork(), {
      email: `bench-credits-${tag}-${Date.now()}@example.com`,
      organization: `Bench credits ${tag} ${Date.now()}`,
      newKey: true,
    });
    return { organizationId: owner.organizationId, key: owner.apiKey.key };
  };
  const hot = await bootstrap('hot');
  const spread: Org[] = [];
  for (let i = 0; i < orgCount; i++) spread.push(await bootstrap(`spread-${i}`));
  const scarce = await bootstrap('scarce');
  const bare = await bootstrap('bare');

  if (profiling) mkdirSync(outDir, { recursive: true });
  const server = await startChild(
    'server',
    join(root, 'bench/whoami/serve-gatehouse.ts'),
    { DATABASE_URL: database.url },
    profiling ? ['--cpu-prof', `--cpu-prof-dir=${outDir}`] : [],
  );
  const grant = (org: Org, amount: number) =>
    mutate(server.port, org.key, 'credits.grant', {
      organizationId: org.organizationId,
      amount,
      type: 'purchase',
      idempotencyKey: `fund-${org.organizationId}`,
    });
  // Owners of bootstrapped organizations are platform admins: they may grant.
  await grant(hot, 100_000_000);
  for (const org of spread) await grant(org, 1_000_000);
  await grant(scarce, limited);
  await grant(bare, 100_000_000);
  console.log(`funded: hot 1e8, ${orgCount} organizations 1e6 each, scarce ${limited}, bare 1e8 credits`);

  const rows: Row[] = [];
  const failures: string[] = [];
  /** One measured stretch of a case, checked against the ledger (and, with `expectOk`, spent to exactly zero). */
  const measure = async (name: string, orgs: Org[], seconds: number, expectOk?: number): Promise<Round> => {
    // Requests still in flight when autocannon stops commit unseen: let them land before counting.
    await settle();
    const before = await usageCounts(db, orgs);
    const commitsBefore = await commitCount(db, orgs);
    const cpuBefore = await childCpuMicros(server.process);
    const started = nowMicros();
    const outcome = await load(server.port, orgs, seconds);
    const window: [number, number] = [started, nowMicros()];
    const cpu = (await childCpuMicros(server.process)) - cpuBefore;
    await settle();
    const { problems, usages, balance } = await checkLedgers(db, orgs, before, outcome.ok);
    const commits = (await commitCount(db, orgs)) - commitsBefore;
    // The scarce organization must end at exactly zero with exactly its balance's worth of usage rows.
    if (expectOk !== undefined && (balance !== 0n || usages !== expectOk)) {
      problems.push(`${usages} usage rows and a balance of ${balance} µcredits left, from ${expectOk} credits`);
    }
    if (outcome.errors || outcome.other)
      failures.push(`${name}: ${outcome.errors} errors, ${outcome.other} non-200/412`);
    failures.push(...problems.map((p) => `${name}: ${p}`));
    return { outcome, cpu, usages, commits, oversold: problems.length > 0, window };
  };
  /** A case's row over its rounds: the median round's consumes/s; everything else over every round. */
  const summarize = (name: string, measured: Round[]): Row => {
    const sum = (f: (r: Round) => number) => measured.reduce((n, r) => n + f(r), 0);
    const { p50, p99 } = stats(joined(measured.map((r) => r.outcome.latencies)));
    const perSecond = measured.map((r) => r.outcome.ok / r.outcome.seconds);
    return {
      case: name,
      'consumes/s': Math.round(median(perSecond)),
      'rounds consumes/s': `${Math.round(Math.min(...perSecond))}–${Math.round(Math.max(...perSecond))}`,
      'p50 ms': round2(p50),
      'p99 ms': round2(p99),
      ok: sum((r) => r.outcome.ok),
      'refused (412)': sum((r) => r.outcome.refused),
      'errors/other': `${sum((r) => r.outcome.errors)}/${sum((r) => r.outcome.other)}`,
      'usage rows': sum((r) => r.usages),
      oversell: measured.some((r) => r.oversold) ? 'YES' : 'none',
      'server CPU µs/req': Math.round(
        sum((r) => r.cpu) /
          Math.max(
            1,
            sum((r) => r.outcome.ok + r.outcome.refused),
          ),
      ),
      'consumes/commit': round2(
        sum((r) => r.usages) /
          Math.max(
            1,
            sum((r) => r.commits),
          ),
      ),
    };
  };

  // (a) and (b) in interleaved rounds, as the whoami benchmark does: the shared machine's drift falls on both.
  const cases = [
    { name: '(a) one hot organization', orgs: [hot], rounds: [] as Round[] },
    { name: `(b) ${orgCount} organizations`, orgs: spread, rounds: [] as Round[] },
  ];
  for (const c of cases) {
    console.log(`${c.name}: warming up ${warmup} s at ${connections} connections…`);
    await load(server.port, c.orgs, warmup);
  }
  const seconds = Math.max(1, Math.round(duration / rounds));
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds}: ${seconds} s a case…`);
    for (const c of cases) c.rounds.push(await measure(c.name, c.orgs, seconds));
  }
  for (const c of cases) rows.push(summarize(c.name, c.rounds));
  for (const row of rows) {
    reportRow({
      case: `credits.consume, ${row.case.includes('hot') ? 'one hot organization' : `spread over ${orgCount} organizations`}`,
      'req/s': row['consumes/s'],
      'p50 ms': row['p50 ms'],
      'p99 ms': row['p99 ms'],
      'server CPU µs/req': row['server CPU µs/req'],
      checked: `oversell ${row.oversell}; ${row['consumes/commit']} consumes/commit`,
      baseline: 'bare Hono + pg, one primary-key lookup',
    });
  }
  const scarceName = `(c) hot, ${limited} credits`;
  console.log(`${scarceName}: measuring ${duration} s at ${connections} connections…`);
  rows.push(summarize(scarceName, [await measure(scarceName, [scarce], duration, limited)]));
  await stopChild(server.process);
  const spreadRounds = (cases[1] as (typeof cases)[number]).rounds;
  if (profiling) printProfile(server.process.pid, (spreadRounds.at(-1) as Round).window);

  console.log(`(d) the statement alone, pg pool of ${serverPool}, ${connections} callers, ${duration} s…`);
  const bareCases = [
    { case: '(d) statement alone, hot', orgs: [bare], settings: '' },
    { case: `(d) statement alone, ${orgCount} organizations`, orgs: spread, settings: '' },
    { case: '(d) statement alone, hot, synchronous_commit=off', orgs: [bare], settings: '-c synchronous_commit=off' },
  ];
  const bareRows = [];
  for (const c of bareCases) {
    const r = await bareLoop(database.url, c.orgs, duration, c.settings);
    bareRows.push({ case: c.case, 'consumes/s': r.perSecond, 'p50 ms': r.p50, 'p99 ms': r.p99 });
  }
  const all = [bare, ...spread];
  const after = await ledgers(db, all);
  const { problems } = await checkLedgers(db, all, new Map(after.map((l) => [l.organization_id, l.usages])), 0);
  failures.push(...problems.map((p) => `(d): ${p}`));

  console.log();
  console.table(rows);
  console.table(bareRows);
  console.log(`target (issue 14): >= 2,000 consumes/s spread over ${orgCount} organizations; zero oversell`);
  if (failures.length) {
    console.error(`\n!!! ${failures.join('\n!!! ')}\n`);
    process.exitCode = 1;
  }
}

/** The server's self time by function and by package during `window` (case b, spread). */
function printProfile(pid: number | undefined, window: [number, number]) {
  const file = readdirSync(outDir)
    .filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.`))
    .sort()
    .pop();
  if (!file) throw new Error(`PROFILE=1 but no .cpuprofile of pid ${pid} in ${outDir}`);
  const summary = summarizeProfile(join(outDir, file), { root: `${root}/`, top: 25, window });
  console.log(`\nCPU profile of the server during (b): ${join(outDir, file)}, ${summary.totalSamples} samples`);
  const pct = (n: number) => `${n.toFixed(1)}%`;
  console.table(summary.functions.map((f) => ({ self: pct(f.percent), samples: f.samples, function: f.name })));
  console.table(summary.packages.map((p) => ({ self: pct(p.percent), samples: p.samples, package: p.name })));
}

await runBench(main, 'stopping the server and cleaning up');
