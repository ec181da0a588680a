import type { EntityManager } from '@mikro-orm/postgresql';

const MAX_LABEL = 63;

/** A DNS label from a name: lowercase ASCII letters, digits and single hyphens, at most 63 chars. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_LABEL)
    .replace(/-+$/, '');
  return slug || 'org';
}

/**
 * The slug of `name`, or the slug with the lowest free numeric suffix (`acme-2`), free among both
 * labels and namespaces (a namespace is the label an organization was created with). The unique
 * indexes still decide a race; the caller retries on a conflict.
 */
export async function freeLabel(em: EntityManager, name: string): Promise<string> {
  const base = slugify(name);
  const rows: { v: string }[] = await em.execute(
    `select label as v from organizations where label = ? or label ~ ?
     union select namespace from organizations where namespace = ? or namespace ~ ?`,
    [base, `^${base}-[0-9]+$`, base, `^${base}-[0-9]+$`],
  );
  const taken = new Set(rows.map((r) => r.v));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, MAX_LABEL - suffix.length).replace(/-+$/, '') + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
