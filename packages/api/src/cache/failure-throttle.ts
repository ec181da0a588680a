import { AppError } from '../errors.js';

/**
 * Slows down credential guessing from one source: after `max` failed credential checks from an IP
 * within a window, its checks are refused without touching the database until the window ends.
 * Per process and in memory on purpose: a shared counter would cost a write per failure, which is
 * exactly what a flood of bad keys should not buy. Secrets are 256-bit, so this guards the
 * database more than the secrets.
 */
export class FailureThrottle {
  #windows = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    readonly max = 50,
    readonly windowMs = 60_000,
    readonly maxSources = 100_000,
  ) {}

  assertAllowed(source: string | null, now = Date.now()): void {
    const window = source ? this.#windows.get(source) : undefined;
    if (window && window.resetAt > now && window.failures >= this.max) {
      const retryAfterSeconds = Math.ceil((window.resetAt - now) / 1000);
      throw new AppError('TOO_MANY_REQUESTS', `Too many failed credentials; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
  }

  recordFailure(source: string | null, now = Date.now()): void {
    if (!source) return;
    const window = this.#windows.get(source);
    if (window && window.resetAt > now) {
      window.failures++;
      return;
    }
    if (this.#windows.size >= this.maxSources) {
      for (const [key, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(key);
      if (this.#windows.size >= this.maxSources) this.#windows.delete(this.#windows.keys().next().value as string);
    }
    this.#windows.set(source, { failures: 1, resetAt: now + this.windowMs });
  }
}
