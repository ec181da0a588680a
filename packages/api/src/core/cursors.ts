import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.js';
import type { Page } from './pagination.js';

/**
 * Cursors are keyset positions (the last item's sort key), signed so a client can neither forge
 * one nor read anything into it. `scope` binds a cursor to one list: a cursor from another list,
 * or from another filter, is BAD_REQUEST.
 */
export class Cursors {
  constructor(private readonly secret: string) {}

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest().subarray(0, 16);
  }

  encode(scope: string, position: string): string {
    const payload = Buffer.from(JSON.stringify([scope, position])).toString('base64url');
    return `${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  decode(scope: string, cursor: string): string {
    const [payload = '', mac = ''] = cursor.split('.');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    const [s, position] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, string];
    if (s !== scope) throw invalidCursor();
    return position;
  }

  /** Builds a page from `limit + 1` rows fetched in order; the extra row only says there is more. */
  page<R, T>(scope: string, rows: R[], limit: number, position: (row: R) => string, map: (row: R) => T): Page<T> {
    const hasNextPage = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(map),
      pageInfo: { hasNextPage, endCursor: last ? this.encode(scope, position(last)) : null },
    };
  }
}

const invalidCursor = () => new AppError('INVALID_CURSOR', 'Invalid cursor');
