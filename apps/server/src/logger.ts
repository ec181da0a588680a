import { pino } from 'pino';

/** Structured JSON logs on stdout (stderr for the CLI, whose stdout is for its answer). */
export function createLogger(level: string, destination: 1 | 2 = 1) {
  return pino({ level, base: { service: 'gatehouse' } }, pino.destination(destination));
}
