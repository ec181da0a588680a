// `corepack pnpm bench`: the per-call benchmarks in one run on one PostgreSQL, as one table
// (printed, and written to bench/results/latest.md). Each benchmark runs as it does alone and hands
// its measured cases over through BENCH_RESULTS (lib/results.ts); a case beside the bare route shows
// its throughput as a share of it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultRow } from './lib/results.js';

const here = import.meta.dirname;
const file = join(tmpdir(), `gatehouse-bench-${process.pid}.jsonl`);
rmSync(file, { force: true });

const failed: string[] = [];
for (const script of ['whoami/run.ts', 'credits/run.ts', 'teams/run.ts', 'webhooks/http.ts']) {
  console.log(`\n=== ${script}`);
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(here, script)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS: file },
  });
  if (run.status !== 0) failed.push(script);
}

const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as ResultRow);
rmSync(file, { force: true });
const byCase = new Map(rows.map((r) => [r.case, r]));
const vs = (row: ResultRow) => {
  const base = row.baseline ? byCase.get(row.baseline) : undefined;
  const ratio = row.ratio ?? (base ? row['req/s'] / base['req/s'] : undefined);
  return ratio === undefined ? '' : `${ratio.toFixed(2)}×`;
};
const lines = [
  `Gatehouse per-call benchmark, ${new Date().toISOString()} (Node ${process.versions.node}, ${process.env.CONNECTIONS ?? 64} connections, ${process.env.DURATION ?? 10} s a case; cases measured in ${process.env.ROUNDS ?? 5} interleaved rounds: req/s the median round, vs bare the median of each round's ratio)`,
  '',
  '| case | req/s | vs bare | p50 ms | p99 ms | server CPU µs/call | checked |',
  '|---|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r['req/s']} | ${vs(r)} | ${r['p50 ms']} | ${r['p99 ms']} | ${r['server CPU µs/req'] ?? '–'} | ${r.checked} |`,
  ),
  '',
  'Targets (issue 14): whoami ≥ 0.9× bare and p99 < 10 ms; members page ≥ 0.6×; whoami with limits ≥ 0.8×; spread consume ≥ 2,000/s, zero oversell. Issue 15: users.getPermissions (member of 20 teams) p50 < 5 ms; the decision adds no query per warm call (its [in-process] rows count them). Issue 27: keys.verify of a warm key with a two-permission query ≥ 1.0× bare, zero queries per warm call, p99 not above bare; random invalid keys at the same rate. Issue 30: webhook deliveries over HTTP (req/s: deliveries/s draining a backlog of 2,000; p50/p99: commit → delivery of single changes) ≥ 1,000/s with two processes, p99 < 1 s.',
];
if (failed.length) lines.push('', `**Invalid run: ${failed.join(', ')} failed (see the output above).**`);
const table = lines.join('\n');
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/latest.md'), `${table}\n`);
console.log(`\n${table}\n\n(written to bench/results/latest.md)`);
if (failed.length) process.exitCode = 1;
