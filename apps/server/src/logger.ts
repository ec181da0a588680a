import { pino } from 'pino';

/**
 * Structured JSON logs on stdout (stderr for the CLI, whose stdout is for its answer). The server's are
 * written asynchronously: a request's line costs a buffer append, not a write(2), and lines that arrive
 * while a write is in flight go out together. pino flushes what is buffered when the process exits.
 */
export function createLogger(level: string, destination: 1 | 2 = 1) {
  return pino(
    { level, base: { service: 'gatehouse' } },
    pino.destination({ dest: destination, sync: destination === 2 }),
  );
}
