import { z } from 'zod';

/** List input every list procedure shares (contract: limit 1..200, default 50; opaque cursor). */
export const ZPageInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const zPage = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  });

export interface Page<T> {
  items: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
