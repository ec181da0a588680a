import { type IdPrefix, idPattern } from '@gatehouse/db';
import { z } from 'zod';

/** An id with the given prefix, e.g. zId('org') accepts `org_01j…`. */
export const zId = (prefix: IdPrefix) => z.string().regex(idPattern(prefix), `Must be a ${prefix}_… id`);

/** A LIKE pattern that matches `text` literally: \, % and _ are escaped. Use with `escape '\\'`. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** The answer of a call that has nothing else to say. */
export const ZOk = z.object({ ok: z.literal(true) });
