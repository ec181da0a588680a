// The permission query grammar of keys.verify, checked against an independent model: JavaScript's own
// parser and evaluator. A query's tokens translate one for one into a JS expression (`and` → `&&`, `or` →
// `||`, a permission → whether it is held), whose grammar over these tokens is the query's and whose
// precedence is the same (&& over ||; `(` becomes `!!(` so that JS cannot read it as a call). So for any token sequence, the query parses exactly when the JS
// expression compiles, and satisfies() agrees with what the expression evaluates to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { allOf, MAX_DEPTH, MAX_TERMS, parseQuery, satisfies } from './query.js';

const PERMISSIONS = ['workflows:read', 'workflows:execute', 'executions:read', 'apiKeys:verify', 'a_b-c:x1'];

type Tok = { permission: string } | 'and' | 'or' | 'AND' | 'Or' | '(' | ')';
const tok: fc.Arbitrary<Tok> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PERMISSIONS).map((permission) => ({ permission })) },
  { weight: 2, arbitrary: fc.constantFrom<Tok>('and', 'or', 'AND', 'Or') },
  { weight: 2, arbitrary: fc.constantFrom<Tok>('(', ')') },
);
const space = fc.constantFrom('', ' ', '  ', '\t', '\n');

/** The query's text, spaced as the generator likes (a space where two words would otherwise merge). */
function render(tokens: readonly Tok[], spaces: readonly string[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    const text = typeof t === 'string' ? t : t.permission;
    const word = /\w/.test(text[0] as string);
    const gap = spaces[i] ?? '';
    out += word && out !== '' && /\w$/.test(out) && gap === '' ? ` ${text}` : gap + text;
  });
  return out;
}

/** The model: the same tokens as a JS expression, compiled by V8 (null: a syntax error). */
function model(tokens: readonly Tok[]): ((held: ReadonlySet<string>) => boolean) | null {
  const js = tokens
    .map((t) =>
      typeof t !== 'string'
        ? `h.has(${JSON.stringify(t.permission)})`
        : t === '('
          ? // `!!(`, not `(`: in JS a parenthesis after an operand is a call, in a query an error.
            '!!('
          : t === ')'
            ? t
            : t.toLowerCase() === 'and'
              ? '&&'
              : '||',
    )
    .join(' ');
  try {
    const f = new Function('h', `const result = ${js}; return result;`) as (h: ReadonlySet<string>) => unknown;
    return (held) => f(held) === true;
  } catch {
    return null;
  }
}

const depthOf = (tokens: readonly Tok[]) => {
  let depth = 0;
  let max = 0;
  for (const t of tokens) {
    if (t === '(') max = Math.max(max, ++depth);
    if (t === ')') depth--;
  }
  return max;
};
const termsOf = (tokens: readonly Tok[]) => tokens.filter((t) => typeof t !== 'string').length;
const held = fc.subarray(PERMISSIONS).map((p) => new Set(p));

function outcome(source: string): { query: ReturnType<typeof parseQuery> } | { error: AppError } {
  try {
    return { query: parseQuery(source) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { error };
  }
}

describe('permission queries', () => {
  it('parse exactly when the model compiles, and decide as the model does', () => {
    fc.assert(
      fc.property(
        fc.array(tok, { minLength: 0, maxLength: 14 }),
        fc.array(space, { minLength: 14, maxLength: 14 }),
        fc.array(held, { minLength: 4, maxLength: 4 }),
        (tokens, spaces, helds) => {
          const source = render(tokens, spaces);
          const expected = model(tokens);
          const got = outcome(source);
          if (depthOf(tokens) > MAX_DEPTH || termsOf(tokens) > MAX_TERMS) return;
          if (expected === null) {
            expect('error' in got, source).toBe(true);
            if ('error' in got) {
              expect(got.error.reason).toBe('BAD_REQUEST');
              const position = got.error.details?.position as number;
              expect(position).toBeGreaterThanOrEqual(0);
              expect(position).toBeLessThanOrEqual(source.length);
            }
            return;
          }
          expect('query' in got, `${source}: ${'error' in got ? got.error.message : ''}`).toBe(true);
          if (!('query' in got)) return;
          for (const h of helds) expect(satisfies(got.query, h), source).toBe(expected(h));
        },
      ),
      { numRuns: 3000, seed: 27 },
    );
  });

  it('decide well-formed queries of every shape as the model does (generated as trees)', () => {
    // Random trees rendered with the parentheses they need and some they do not.
    const tree: fc.Arbitrary<Tok[]> = fc.letrec<{ node: Tok[] }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(...PERMISSIONS).map((permission): Tok[] => [{ permission }]),
        fc
          .tuple(fc.constantFrom<Tok>('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 }))
          .map(([op, items]) => items.flatMap((item, i) => [...(i ? [op] : []), '(' as Tok, ...item, ')' as Tok])),
        tie('node').map((inner) => ['(' as Tok, ...inner, ')' as Tok]),
      ),
    })).node;
    fc.assert(
      fc.property(tree, held, (tokens, h) => {
        fc.pre(depthOf(tokens) <= MAX_DEPTH && termsOf(tokens) <= MAX_TERMS);
        const expected = model(tokens);
        expect(expected).not.toBeNull();
        expect(satisfies(parseQuery(render(tokens, [])), h)).toBe(expected?.(h));
      }),
      { numRuns: 1000, seed: 27 },
    );
  });

  it('binds and tighter than or', () => {
    const q = parseQuery('workflows:read or workflows:execute and executions:read');
    expect(satisfies(q, new Set(['workflows:read']))).toBe(true);
    expect(satisfies(q, new Set(['workflows:execute']))).toBe(false);
    expect(
      satisfies(parseQuery('(workflows:read or workflows:execute) and executions:read'), new Set(['workflows:read'])),
    ).toBe(false);
  });

  it('names the position of a fault', () => {
    const refusal = (source: string) => {
      const got = outcome(source);
      return 'error' in got ? `${got.error.reason}@${got.error.details?.position}: ${got.error.message}` : 'parsed';
    };
    expect(refusal('workflows:read and')).toBe(
      'BAD_REQUEST@18: Invalid permission query at position 18: expected a permission or "(" but found the end',
    );
    expect(refusal('workflows:read and (executions:read')).toMatch(
      /^BAD_REQUEST@35: .*expected "\)" but found the end/,
    );
    expect(refusal('workflows:read executions:read')).toMatch(/^BAD_REQUEST@15: .*expected "and", "or" or the end/);
    expect(refusal('workflows:read and Workflows')).toMatch(/^BAD_REQUEST@19: .*"Workflows" is not a permission/);
    expect(refusal('workflows:read; drop')).toMatch(/^BAD_REQUEST@0: /);
    expect(refusal('')).toMatch(/^BAD_REQUEST@0: .*found the end/);
    expect(refusal(')')).toMatch(/^BAD_REQUEST@0: /);
  });

  it(`refuses more than ${MAX_TERMS} permissions and nesting deeper than ${MAX_DEPTH}`, () => {
    const terms = (n: number) => Array.from({ length: n }, () => 'workflows:read').join(' or ');
    expect(() => parseQuery(terms(MAX_TERMS))).not.toThrow();
    expect(() => parseQuery(terms(MAX_TERMS + 1))).toThrow(/more than 32 permissions/);
    const nested = (n: number) => `${'('.repeat(n)}workflows:read${')'.repeat(n)}`;
    expect(() => parseQuery(nested(MAX_DEPTH))).not.toThrow();
    expect(() => parseQuery(nested(MAX_DEPTH + 1))).toThrow(/at position 8: parentheses nested deeper than 8/);
    expect(() => allOf(Array.from({ length: MAX_TERMS + 1 }, () => 'workflows:read'))).toThrow(AppError);
  });

  it('requires every permission of a list', () => {
    const q = allOf(['workflows:read', 'executions:read']);
    expect(satisfies(q, new Set(['workflows:read']))).toBe(false);
    expect(satisfies(q, new Set(['workflows:read', 'executions:read']))).toBe(true);
    expect(satisfies(allOf([]), new Set())).toBe(true);
  });
});
