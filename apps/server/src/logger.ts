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

/** The `code` and `reason` of a failed request's answer, for its log line. */
export interface Failure {
  code?: string;
  reason: string;
}

/**
 * Why a request failed, read from its answer, where every surface says it: tRPC's error `data` (the
 * first failed call of a batch), a REST problem, GraphQL's `extensions`, the token endpoint's OAuth
 * `error`. Read only from failed answers (a 207 is a batch with a failed call), which are small JSON.
 */
export async function failureOf(response: Response): Promise<Failure | undefined> {
  if ((response.status < 400 && response.status !== 207) || !response.headers.get('content-type')?.includes('json')) {
    return undefined;
  }
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    return undefined;
  }
  type Said = { code?: unknown; reason?: unknown; error?: unknown };
  type Answer = Said & { error?: { json?: { data?: Said } }; errors?: { extensions?: Said }[] };
  const answer = (Array.isArray(body) ? body.find((b: Answer) => b?.error) : body) as Answer | undefined;
  const said =
    (typeof answer?.error === 'object' ? answer.error?.json?.data : answer?.errors?.[0]?.extensions) ?? answer;
  const reason =
    typeof said?.reason === 'string' ? said.reason : typeof said?.error === 'string' ? said.error : undefined;
  if (!reason) return undefined;
  return typeof said?.code === 'string' ? { code: said.code, reason } : { reason };
}
