import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Records when and from where each API key (or service account credential) was last used without a
 * write per request: uses are kept in memory and written in one statement every `intervalMs`, so
 * lastUsedAt is at most that stale.
 */
export class UsageRecorder {
  #pending = new Map<string, { at: Date; ip: string | null }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fork: () => EntityManager,
    private readonly onError: (error: unknown) => void,
    readonly intervalMs = 2_000,
    private readonly table: 'api_keys' | 'service_account_credentials' = 'api_keys',
  ) {}

  record(keyId: string, ip: string | null): void {
    this.#pending.set(keyId, { at: new Date(), ip });
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.flush().catch(this.onError), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending];
    this.#pending.clear();
    const values = batch.map(() => '(?, ?::timestamptz, ?)').join(', ');
    // Never move lastUsedAt backwards when processes flush out of order.
    const ip = this.table === 'api_keys' ? ', last_used_ip = v.ip' : '';
    await this.fork().execute(
      `update ${this.table} k set last_used_at = v.at${ip}
         from (values ${values}) as v(id, at, ip)
        where k.id = v.id and (k.last_used_at is null or k.last_used_at < v.at)`,
      batch.flatMap(([id, { at, ip }]) => [id, at.toISOString(), ip]),
    );
  }
}
