import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from './caller.js';

interface Statement {
  name: string;
  text: string;
}

const statements = new Map<string, Statement>();

/** Every connection keeps every statement it prepared: a bound, should a caller ever vary its text without end. */
const MAX_STATEMENTS = 100;

/** `?` placeholders (as em.execute takes them) as `$1, $2, …`, under a name of its own per text. */
function statementOf(sql: string): Statement | undefined {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS) return undefined;
    let n = 0;
    statement = { name: `gh_${statements.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * A hot read as a named prepared statement. em.execute inlines the parameters and sends a simple
 * query, which PostgreSQL parses and plans on every call: for a page of members that planning cost
 * more than running it (pgbench, 4 clients: 2,720 → 6,630 pages/s prepared). Here each pooled
 * connection parses the text once, and after a few calls PostgreSQL keeps one plan for it. Same
 * pool, so the same type parsers as the ORM's rows. Inside a transaction the query must run on the
 * transaction's connection: em.execute.
 * On the embedded database every connection shares one session, so a name one connection prepared
 * already exists for the next ("prepared statement gh_0 already exists", for good: the pg client keeps
 * trying to prepare it), and pglite-socket keeps only a simple query's one message whole between
 * clients, not an extended-protocol exchange: em.execute there.
 * The SQL must have no `?` other than its placeholders, and only a few texts (one prepared statement
 * per text and connection, for the life of the process; past MAX_STATEMENTS, em.execute). Not for
 * `like ?`: a plan made once for any pattern cannot walk an index by the pattern's prefix.
 */
export async function preparedQuery<T>(
  { em, runtime }: { em: EntityManager; runtime: Pick<Runtime, 'embedded'> },
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const statement = em.isInTransaction() || runtime.embedded ? undefined : statementOf(sql);
  if (!statement) return em.execute<T[]>(sql, params);
  const pool = await em.getConnection().getNativeClient();
  const { name, text } = statement;
  const result = await pool.query({ name, text, values: params });
  return result.rows as T[];
}
