import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapWithKey } from '@gatehouse/api';
import autocannon from 'autocannon';
import { type Child, childCpuMicros, startChild, stopChild } from '../lib/children.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { round2, stats } from '../lib/stats.js';
import { summarizeProfile } from './profile.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const outDir = join(root, 'bench/out');

const connections = intEnv('CONNECTIONS', 64);
const duration = intEnv('DURATION', 10);
const warmup = intEnv('WARMUP', 2);
const profiling = process.env.PROFILE === '1';

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
  const whoami = await measure(
    {
      name: 'whoami',
      url: `http://127.0.0.1:${gatehouse.port}/trpc/auth.whoami`,
      headers: { authorization: `Bearer ${owner.apiKey.key}` },
    },
    gatehouse,
  );
  rows.push(whoami.row);
  if (whoami.failures) failures.push(`whoami: ${whoami.row['errors/non-2xx']} errors/non-2xx`);
  const gatehousePid = gatehouse.process.pid;
  await stopChild(gatehouse.process);

  // (b) The baseline: bare Hono + pg, one primary-key lookup.
  const bare = await startChild('bare', join(here, 'serve-bare.ts'), {
    DATABASE_URL: database.url,
    BENCH_USER_ID: owner.userId,
  });
  const baseline = await measure({ name: 'bare', url: `http://127.0.0.1:${bare.port}/user`, headers: {} }, bare);
  rows.push(baseline.row);
  if (baseline.failures) failures.push(`bare: ${baseline.row['errors/non-2xx']} errors/non-2xx`);
  await stopChild(bare.process);

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
    const summary = summarizeProfile(path, { root: `${root}/`, top: 15, window: whoami.window });
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
