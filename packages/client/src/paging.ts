export interface Page<T> {
  items: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A list that pages itself: `for await (const key of gh.auth.listKeys())` walks every page (`limit`
 * is the page size), and `.page(cursor?)` fetches one.
 */
export interface PagedList<T> extends AsyncIterable<T> {
  page(cursor?: string): Promise<Page<T>>;
}

export function paged<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): PagedList<T> {
  return {
    page: fetchPage,
    async *[Symbol.asyncIterator]() {
      let cursor: string | undefined;
      do {
        const page = await fetchPage(cursor);
        yield* page.items;
        cursor = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
      } while (cursor);
    },
  };
}
