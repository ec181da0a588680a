// Rows a benchmark hands to the combined table of `corepack pnpm bench` (bench/all.ts): with
// BENCH_RESULTS set, each measured case is appended to that file as one JSON line.
import { appendFileSync } from 'node:fs';

export interface ResultRow {
  case: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  /** Left out where the benchmark does not measure it (the webhook deliverers). */
  'server CPU µs/req'?: number;
  /** What the case checked of its answers (rows returned, oversell…), in a few words. */
  checked: string;
  /** The case to compare it with (the bare route), if any. */
  baseline?: string;
  /**
   * req/s against the baseline's, when the benchmark measured both in the same rounds: the median of
   * each round's ratio, steadier than the ratio of two medians on a shared machine.
   */
  ratio?: number;
}

export function reportRow(row: ResultRow): void {
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
