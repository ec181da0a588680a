import { TRPCError } from '@trpc/server';
import { z } from 'zod';

// C0 controls other than tab, line feed and carriage return, DEL and the C1 controls. PostgreSQL
// refuses NUL in text (a 500 otherwise), and the rest have no place in names, emails, searches or
// tokens: they forge log lines and hide text in terminals and consoles.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Deeper than any input of this API; bounds the walk below (and whatever recursion follows it). */
export const MAX_INPUT_DEPTH = 32;

type Problem = { path: (string | number)[]; message: string };

function problemIn(value: unknown, path: (string | number)[]): Problem | null {
  if (typeof value === 'string') {
    return CONTROL.test(value) ? { path, message: 'Must not contain control characters' } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (path.length >= MAX_INPUT_DEPTH) return { path, message: `Nested deeper than ${MAX_INPUT_DEPTH} levels` };
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.getPrototypeOf(value) === Object.prototype
      ? Object.entries(value)
      : []; // a Date or other superjson value: nothing of ours to look at
  for (const [key, v] of entries) {
    if (typeof key === 'string' && CONTROL.test(key)) {
      return { path: [...path, key.replace(CONTROL, '?')], message: 'Must not contain control characters' };
    }
    const found = problemIn(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * The one check every procedure's raw input passes before its zod schema: no control characters in
 * any string or key, no absurd nesting. A refusal is BAD_REQUEST naming the field, like any other
 * validation failure (`data.fieldErrors`).
 */
export function assertCleanInput(input: unknown): void {
  const found = problemIn(input, []);
  if (!found) return;
  const field = found.path.join('.') || 'input';
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: `${field}: ${found.message}`,
    cause: new z.ZodRealError([{ code: 'custom', path: found.path, message: found.message, input: undefined }]),
  });
}
