/**
 * Group commit, per key: work submitted under a key while a batch of that key runs waits, and then
 * goes together as the next batch (FIFO, up to `maxBatch`). The first submission of an idle key
 * runs at once, alone. One instance per process (in the Runtime); what a batch does is the
 * submitter's business (see credits/batcher.ts), so this knows no feature.
 */
export class Batches {
  /** A key is here exactly while a batch of it runs; its array holds the waiting items. */
  private readonly queues = new Map<string, unknown[]>();
  /** The most items one batch has carried, and named counts a runner keeps: for tests and benchmarks. */
  largestBatch = 0;
  readonly counts = new Map<string, number>();

  constructor(private readonly maxBatch = 256) {}

  /** Queues `item` under `key`. `run` gets the batches of the key one at a time; it must settle its items and never throw. */
  add<I>(key: string, item: I, run: (batch: I[]) => Promise<void>): void {
    const waiting = this.queues.get(key) as I[] | undefined;
    if (waiting) {
      waiting.push(item);
      return;
    }
    const queue = [item];
    this.queues.set(key, queue);
    void this.drain(key, queue, run);
  }

  /** How many items wait behind the running batch of `key` (undefined: none runs); tests line calls up with it. */
  waiting(key: string): number | undefined {
    return this.queues.get(key)?.length;
  }

  count(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  private async drain<I>(key: string, queue: I[], run: (batch: I[]) => Promise<void>): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      this.largestBatch = Math.max(this.largestBatch, batch.length);
      await run(batch);
    }
    this.queues.delete(key);
  }
}
