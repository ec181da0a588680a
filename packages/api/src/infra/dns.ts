import { Resolver } from 'node:dns/promises';

/** TXT lookups through the resolvers the deployment names (GATEHOUSE_DNS_SERVERS), bounded in time. */
export interface TxtResolver {
  /** The TXT records at `name`, each joined from its strings; rejects with the resolver's error code (ENODATA, ENOTFOUND, ETIMEOUT, …). */
  resolveTxt(name: string): Promise<string[]>;
}

export interface TxtResolverOptions {
  /**
   * `ip` or `ip:port` (`[v6]:port`) entries, read at each lookup; empty: the system's resolvers. A test
   * fills the list once its DNS server listens.
   */
  servers?: readonly string[];
  /** The whole lookup, retries included (default 5 s). */
  timeoutMs?: number;
}

export function createTxtResolver({ servers = [], timeoutMs = 5000 }: TxtResolverOptions = {}): TxtResolver {
  return {
    async resolveTxt(name) {
      // One resolver per lookup: cancelling it on timeout cancels this lookup only.
      const resolver = new Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 3)), tries: 2 });
      if (servers.length > 0) resolver.setServers([...servers]);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          resolver.cancel();
          reject(Object.assign(new Error(`DNS lookup of ${name} timed out`), { code: 'ETIMEOUT' }));
        }, timeoutMs);
      });
      try {
        const records = await Promise.race([resolver.resolveTxt(name), timeout]);
        return records.map((chunks) => chunks.join(''));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
