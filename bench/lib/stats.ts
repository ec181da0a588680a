// Latency summaries. Percentiles are nearest-rank (the value of a real call, never an interpolation),
// so the p99 of 300 calls is the 3rd-slowest.

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

export function stats(samples: Float64Array): Stats {
  const sorted = samples.slice().sort(); // a typed array sorts by value, not as strings
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((sum, n) => sum + n, 0) / sorted.length,
  };
}

/** The median of a few values (the middle two averaged for an even count): a case's median round. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Latencies of several rounds as one array, for percentiles over every response. */
export function joined(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
