import { AppError } from '../core/errors.js';

/**
 * Permission queries for keys.verify: `workflows:read and (workflows:execute or executions:read)`.
 *
 *   query   := or EOF
 *   or      := and ( "or" and )*
 *   and     := primary ( "and" primary )*
 *   primary := PERMISSION | "(" or ")"
 *
 * `and` binds tighter than `or`, as in every language the integrator writes the rest of their code in;
 * keywords are case-insensitive (`AND`, as Unkey spells them, works too). A permission is
 * `<resource>:<action>` (a platform one has a further segment). Bounded so a query costs little to parse
 * and to check: at most MAX_TERMS permissions and MAX_DEPTH nested parentheses.
 */
export type Query = { kind: 'permission'; name: string } | { kind: 'and' | 'or'; items: Query[] };

export const MAX_TERMS = 32;
export const MAX_DEPTH = 8;
export const MAX_QUERY_LENGTH = 2_000;

const SEGMENT = '[a-z][A-Za-z0-9_-]*';
export const PERMISSION_PATTERN = new RegExp(`^${SEGMENT}(?::${SEGMENT}){1,2}$`);

type Token =
  | { type: 'permission'; text: string; at: number }
  | { type: 'and' | 'or' | '(' | ')'; at: number }
  | { type: 'end'; at: number };

const badQuery = (message: string, position: number) =>
  new AppError('BAD_REQUEST', `Invalid permission query at position ${position}: ${message}`, { position });

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ type: c, at: i++ });
      continue;
    }
    const start = i;
    while (i < source.length && !/[\s()]/.test(source[i] as string)) i++;
    const word = source.slice(start, i);
    const keyword = word.toLowerCase();
    if (keyword === 'and' || keyword === 'or') tokens.push({ type: keyword, at: start });
    else if (PERMISSION_PATTERN.test(word)) tokens.push({ type: 'permission', text: word, at: start });
    else throw badQuery(`"${word.slice(0, 64)}" is not a permission (resource:action), "and" or "or"`, start);
  }
  tokens.push({ type: 'end', at: source.length });
  return tokens;
}

/** Parses a query (recursive descent), or throws BAD_REQUEST naming the position (0-based) of the fault. */
export function parseQuery(source: string): Query {
  if (source.length > MAX_QUERY_LENGTH) throw badQuery(`longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  const tokens = tokenize(source);
  let next = 0;
  let terms = 0;
  const peek = () => tokens[next] as Token;
  const describe = (t: Token) =>
    t.type === 'end' ? 'the end' : t.type === 'permission' ? `"${t.text}"` : `"${t.type}"`;

  const or = (depth: number): Query => {
    const items = [and(depth)];
    while (peek().type === 'or') {
      next++;
      items.push(and(depth));
    }
    return items.length === 1 ? (items[0] as Query) : { kind: 'or', items };
  };
  const and = (depth: number): Query => {
    const items = [primary(depth)];
    while (peek().type === 'and') {
      next++;
      items.push(primary(depth));
    }
    return items.length === 1 ? (items[0] as Query) : { kind: 'and', items };
  };
  const primary = (depth: number): Query => {
    const token = peek();
    if (token.type === 'permission') {
      if (++terms > MAX_TERMS) throw badQuery(`more than ${MAX_TERMS} permissions`, token.at);
      next++;
      return { kind: 'permission', name: token.text };
    }
    if (token.type === '(') {
      if (depth >= MAX_DEPTH) throw badQuery(`parentheses nested deeper than ${MAX_DEPTH}`, token.at);
      next++;
      const inner = or(depth + 1);
      const close = peek();
      if (close.type !== ')') throw badQuery(`expected ")" but found ${describe(close)}`, close.at);
      next++;
      return inner;
    }
    throw badQuery(`expected a permission or "(" but found ${describe(token)}`, token.at);
  };

  const query = or(0);
  const rest = peek();
  if (rest.type !== 'end') throw badQuery(`expected "and", "or" or the end but found ${describe(rest)}`, rest.at);
  return query;
}

/** A list of permissions: all of them are required. */
export function allOf(permissions: readonly string[]): Query {
  if (permissions.length > MAX_TERMS) throw badQuery(`more than ${MAX_TERMS} permissions`, MAX_TERMS);
  return { kind: 'and', items: permissions.map((name) => ({ kind: 'permission', name })) };
}

/** Whether the permissions held satisfy the query. */
export function satisfies(query: Query, held: ReadonlySet<string>): boolean {
  switch (query.kind) {
    case 'permission':
      return held.has(query.name);
    case 'and':
      return query.items.every((q) => satisfies(q, held));
    case 'or':
      return query.items.some((q) => satisfies(q, held));
  }
}
