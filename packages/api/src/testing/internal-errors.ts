// No test may pass on an internal error (a 500): a check that accepts "some error", or compares two
// surfaces that both fail, proves nothing. Everything that serves a test records its internal errors
// here (callerFor's tRPC caller, the HTTP app's responses and error log: see fixtures.ts and
// apps/server/test/hostile/http.ts), and no-internal-errors.ts, a setup file of every test file, fails
// the test that met one. A test that provokes one on purpose takes it with `takeInternalErrors()`.
import { afterEach, expect } from 'vitest';

// On globalThis: a module loaded twice (through the package name and a relative path) shares one list.
const KEY = Symbol.for('gatehouse.test.internalErrors');
const shared = globalThis as Record<symbol, string[] | undefined>;
shared[KEY] ??= [];
const seen = shared[KEY];

export function recordInternalError(where: string, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  seen.push(`${where}: ${text.slice(0, 500)}`);
}

/** The internal errors recorded since the last call (and forgets them): for tests that provoke one. */
export function takeInternalErrors(): string[] {
  return seen.splice(0);
}

/** The app's fetch, recording every answer with a 5xx status but 503 (the database away, which tests provoke). */
export function guardFetch<T extends { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> }>(
  app: T,
): T {
  const fetch = app.fetch;
  app.fetch = (async (request: Request, ...rest: never[]) => {
    const response = await fetch(request, ...rest);
    if (response.status >= 500 && response.status !== 503) {
      recordInternalError(`${request.method} ${new URL(request.url).pathname} answered ${response.status}`, '');
    }
    return response;
  }) as T['fetch'];
  return app;
}

/** A pino destination for the app's logger: every line logged at error level is an internal error. */
export const internalErrorLog = { write: (line: string) => recordInternalError('logged', line) };

/** Registers the check after each test of the file (see vitest.config.ts, setupFiles). */
export function failTestsOnInternalErrors(): void {
  afterEach(() => {
    expect(takeInternalErrors(), 'internal errors (500s) during this test').toEqual([]);
  });
}
