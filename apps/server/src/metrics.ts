import { createHash, timingSafeEqual } from 'node:crypto';
import { appRouter, type Runtime } from '@gatehouse/api';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const procedures = new Set(Object.keys(appRouter._def.procedures));

/**
 * The label a request counts under: the tRPC procedure, the REST route's pattern, or the path of the
 * fixed endpoints. Never the raw path: ids and made-up procedure names would grow the series without
 * bound.
 */
export function procedureLabel(path: string, routePath: string): string {
  if (path.startsWith('/trpc/')) {
    const name = path.slice('/trpc/'.length);
    return name.includes(',') ? 'trpc:batch' : procedures.has(name) ? `trpc:${name}` : 'trpc:unknown';
  }
  return routePath;
}

/**
 * Prometheus metrics of one server process (the README lists each with the alert to set). Gauges of
 * shared state (the outbox, the pool) are read when scraped, not on every request.
 */
export function createMetrics(runtime: Runtime) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'gatehouse_requests_total',
    help: 'Requests answered, by procedure (tRPC name or REST route) and HTTP status.',
    labelNames: ['procedure', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'gatehouse_request_duration_seconds',
    help: 'Time to answer a request, by surface (trpc, rest, graphql, oauth, other).',
    labelNames: ['surface'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const refusals = new Counter({
    name: 'gatehouse_throttle_refusals_total',
    help: 'Answers of TOO_MANY_REQUESTS (failure throttles, budgets, per-key rate limits).',
    registers,
  });
  new Counter({
    name: 'gatehouse_dependency_errors_total',
    help: 'Calls to an optional dependency that failed or timed out (throttle_store: Redis or PostgreSQL).',
    labelNames: ['dependency'] as const,
    registers,
    collect() {
      this.reset();
      this.inc({ dependency: 'throttle_store' }, runtime.throttle.health().errors);
    },
  });
  new Gauge({
    name: 'gatehouse_dependency_degraded',
    help: '1 while a dependency is down and this process works around it (throttle_store: counting in memory).',
    labelNames: ['dependency'] as const,
    registers,
    collect() {
      this.set({ dependency: 'throttle_store' }, runtime.throttle.health().degraded ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gatehouse_outbox_pending',
    help: 'Mail waiting in the outbox (all processes: read from PostgreSQL).',
    registers,
    async collect() {
      this.set((await outbox()).pending);
    },
  });
  new Gauge({
    name: 'gatehouse_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest mail still waiting in the outbox; 0 when none waits.',
    registers,
    async collect() {
      this.set((await outbox()).age);
    },
  });
  new Gauge({
    name: 'gatehouse_outbox_dead',
    help: 'Mail given up after its retries (status dead).',
    registers,
    async collect() {
      this.set((await outbox()).dead);
    },
  });
  new Gauge({
    name: 'gatehouse_db_pool_connections',
    help: "This process's PostgreSQL connections: total, idle, and requests waiting for one.",
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const pool = await poolOf(runtime);
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Counter({
    name: 'gatehouse_principal_cache_lookups_total',
    help: 'Credential lookups answered from this process cache (hit) or from the database (miss).',
    labelNames: ['result'] as const,
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, runtime.principals.lookups.hit);
      this.inc({ result: 'miss' }, runtime.principals.lookups.miss);
    },
  });

  // One query per scrape for the three outbox gauges.
  let read: Promise<{ pending: number; age: number; dead: number }> | null = null;
  const outbox = () => {
    read ??= runtime.orm.em
      .fork()
      .execute<{ pending: number; age: number; dead: number }[]>(
        `select count(*) filter (where status = 'pending')::int as pending,
                count(*) filter (where status = 'dead')::int as dead,
                coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)::float as age
           from outbox_messages`,
      )
      .then(([row]) => row ?? { pending: 0, age: 0, dead: 0 })
      .finally(() => setImmediate(() => (read = null)));
    return read;
  };

  return {
    registry,
    observe(label: string, status: number, seconds: number) {
      requests.inc({ procedure: label, status });
      latency.observe({ surface: surfaceOf(label) }, seconds);
      if (status === 429) refusals.inc();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function surfaceOf(label: string): string {
  if (label.startsWith('trpc:')) return 'trpc';
  if (label.startsWith('/api/')) return 'rest';
  if (label.startsWith('/graphql')) return 'graphql';
  if (label.startsWith('/oauth') || label.startsWith('/.well-known')) return 'oauth';
  return 'other';
}

interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The pg pool behind MikroORM; the embedded database has none. */
async function poolOf(runtime: Runtime): Promise<PoolStats | null> {
  const connection = runtime.orm.em.getConnection() as { getNativeClient?: () => Promise<unknown> };
  if (runtime.embedded || !connection.getNativeClient) return null;
  const pool = (await connection.getNativeClient().catch(() => null)) as Partial<PoolStats> | null;
  return typeof pool?.totalCount === 'number' ? (pool as PoolStats) : null;
}

/** Whether the request carries the metrics token (compared in constant time). */
export function metricsAllowed(authorization: string | undefined, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${token}`));
}
