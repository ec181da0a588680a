import superjson from 'superjson';

type Annotations = Record<string, ['Date'] | ['undefined']>;

class Unusual extends Error {}

const escapeKey = (key: string) =>
  key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;

/**
 * superjson's wire format, written in one pass for what our outputs hold: plain objects and arrays,
 * strings, booleans, null, finite numbers, Dates and undefined. Anything else (a Map, a BigInt, NaN,
 * an object met twice, whose identity superjson would record) is handed to superjson itself, so the
 * result is always what superjson.serialize gives. superjson's general walk (a path array copied per
 * value, every transformer tried on every value) was a third of a members page's CPU.
 */
export function serialize(value: unknown): ReturnType<typeof superjson.serialize> {
  const values: Annotations = {};
  const seen = new Set<object>();
  let annotated = false;
  // The path to the value being walked, as escaped segments; joined only for an annotation, which
  // few values need (a string per value was most of the walk's cost on a page of 50).
  const path: string[] = [];
  const annotate = (type: 'Date' | 'undefined') => {
    // The root's annotations superjson writes differently: left to it.
    if (path.length === 0) throw new Unusual();
    values[path.join('.')] = [type];
    annotated = true;
  };
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) throw new Unusual();
      return v;
    }
    if (v === undefined) {
      annotate('undefined');
      return null;
    }
    if (typeof v !== 'object') throw new Unusual();
    if (seen.has(v)) throw new Unusual();
    seen.add(v);
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new Unusual();
      annotate('Date');
      return v.toISOString();
    }
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        path.push(String(i));
        out[i] = walk(v[i]);
        path.pop();
      }
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Unusual();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new Unusual();
      path.push(escapeKey(key));
      out[key] = walk((v as Record<string, unknown>)[key]);
      path.pop();
    }
    return out;
  };
  try {
    const json = walk(value);
    return (annotated ? { json, meta: { values, v: 1 } } : { json }) as ReturnType<typeof superjson.serialize>;
  } catch (error) {
    if (error instanceof Unusual) return superjson.serialize(value);
    throw error;
  }
}

/** What the router sends with (serialize above) and reads with (superjson), wire-compatible with superjson. */
export const transformer = {
  input: superjson,
  output: { serialize, deserialize: superjson.deserialize.bind(superjson) },
};
