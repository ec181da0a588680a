import { appRouter } from '@gatehouse/api';
import { z } from 'zod';

/**
 * What REST knows of a procedure, read from the procedure itself: its zod input parsers (merged, as
 * tRPC merges them) and output, as JSON Schema. These drive the wire conversion (which keys are
 * fields to rename, which are map keys to keep; which query values are numbers, booleans, dates or
 * lists) and the OpenAPI document, so neither can drift from what the procedure validates.
 */
export type JsonSchema = {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
};

export interface ProcedureSchemas {
  type: 'query' | 'mutation';
  /** Merged input object, or null when the procedure takes no input. */
  input: JsonSchema | null;
  output: JsonSchema;
}

// z.date() fields: ISO-8601 strings on the wire, Dates for the procedure. Marked while the JSON
// Schema is built (z.toJSONSchema copies what the override sees), unmarked in the document.
const DATE = 'x-gatehouse-date';
export const isDate = (schema: JsonSchema | undefined) => !!schema && schema[DATE] === true;

function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
        ctx.jsonSchema[DATE] = true;
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
  output?: z.ZodType;
}

const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def
  .procedures;

export const procedurePaths = () => Object.keys(procedures);

const cache = new Map<string, ProcedureSchemas>();

export function schemasOf(path: string): ProcedureSchemas {
  const cached = cache.get(path);
  if (cached) return cached;
  const def = procedures[path]?._def;
  if (!def || def.type === 'subscription') throw new Error(`No procedure ${path}`);
  // Every procedure declares .output() (house style); REST relies on it.
  if (!def.output) throw new Error(`${path} has no output schema`);
  const inputs = def.inputs.map((input) => objectOf(toJson(input, 'input')));
  const defs: Record<string, JsonSchema> = Object.assign({}, ...inputs.map((i) => i.$defs ?? {}));
  const input: JsonSchema | null =
    inputs.length === 0
      ? null
      : {
          type: 'object',
          properties: Object.assign({}, ...inputs.map((i) => i.properties ?? {})),
          required: [...new Set(inputs.flatMap((i) => i.required ?? []))],
          additionalProperties: false,
          // Recursive parts (a JSON value in metadata) are referenced: keep their definitions.
          ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
        };
  const schemas = { type: def.type, input, output: toJson(def.output, 'output') };
  cache.set(path, schemas);
  return schemas;
}

/** An optional input (`z.object(…).optional()`) is its object. */
function objectOf(schema: JsonSchema): JsonSchema {
  if (schema.properties) return schema;
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    if (branch.properties) return { ...branch, ...(schema.$defs ? { $defs: schema.$defs } : {}) };
  }
  return { type: 'object', properties: {} };
}

/** The branches a value may match: a nullable or optional schema's non-null ones. */
export function branches(schema: JsonSchema | undefined): JsonSchema[] {
  if (!schema) return [];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap(branches);
  if (schema.allOf) return schema.allOf.flatMap(branches);
  return [schema];
}

export const typesOf = (schema: JsonSchema | undefined): string[] =>
  branches(schema).flatMap((b) => (Array.isArray(b.type) ? b.type : b.type ? [b.type] : []));

export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A dotted field path (`rateLimit.windowSeconds`) in wire names. */
export const snakePath = (path: string) => path.split('.').map(snake).join('.');

// The Keycard reference's role names (REST accepts them wherever a role key goes).
const KEYCARD_ROLES: Record<string, string> = { org_admin: 'admin', org_member: 'member', org_viewer: 'viewer' };
export const keycardRoles = Object.keys(KEYCARD_ROLES);
/** Input fields that take a role key. */
export const ROLE_FIELDS = new Set(['role', 'reassignTo']);

/** A wire value the request could not be turned into input: BAD_REQUEST with these field errors. */
export class WireError extends Error {
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super('Invalid input');
  }
}

/**
 * Request JSON (snake_case) → procedure input (camelCase), guided by the input schema: fields of
 * objects with declared properties are renamed, keys of maps (metadata) are kept, date fields become
 * Dates, Keycard role names become role keys. A camelCase field name is refused, not accepted
 * silently: the wire has one spelling.
 */
export function fromWire(value: unknown, schema: JsonSchema | undefined, path = ''): unknown {
  if (Array.isArray(value)) {
    const item = branches(schema).find((b) => b.items)?.items;
    return value.map((v, i) => fromWire(v, item, `${path}${i}.`));
  }
  if (typeof value === 'string') {
    if (branches(schema).some(isDate)) {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const candidates = branches(schema).filter((b) => b.properties || b.additionalProperties);
  const fielded = candidates.filter((b) => b.properties);
  if (fielded.length === 0) {
    const values = candidates.find((b) => typeof b.additionalProperties === 'object')?.additionalProperties;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fromWire(v, values as JsonSchema | undefined, `${path}${k}.`)]),
    );
  }
  const out: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const [wireKey, v] of Object.entries(value)) {
    if (/[A-Z]/.test(wireKey)) {
      errors[`${path}${wireKey}`] = ['Unknown field'];
      continue;
    }
    const key = camel(wireKey);
    const field = fielded.find((b) => b.properties?.[key])?.properties?.[key];
    const converted = fromWire(v, field, `${path}${wireKey}.`);
    out[key] =
      ROLE_FIELDS.has(key) && typeof converted === 'string' ? (KEYCARD_ROLES[converted] ?? converted) : converted;
  }
  if (Object.keys(errors).length > 0) throw new WireError(errors);
  return out;
}

/**
 * Procedure output → response JSON (snake_case), guided by the output schema the same way; Dates
 * become ISO-8601 strings, and a page's `pageInfo` becomes the contract's `page_info`.
 */
export function toWire(value: unknown, schema: JsonSchema | undefined, hadCursor = false): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const item = branches(schema).find((b) => b.items)?.items;
    return value.map((v) => toWire(v, item));
  }
  if (value === null || typeof value !== 'object') return value;
  const candidates = branches(schema);
  const fielded = candidates.filter((b) => b.properties);
  if (fielded.length === 0) {
    // A map (metadata, permissions, changes) or free-form detail: keys are data, kept as they are.
    const values = candidates.find((b) => typeof b.additionalProperties === 'object')?.additionalProperties;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v, values as JsonSchema | undefined)]));
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key === 'pageInfo' && v && typeof v === 'object') {
      out.page_info = pageInfo(v as { hasNextPage: boolean; endCursor: string | null }, hadCursor);
      continue;
    }
    out[wireName(key)] = toWire(v, fielded.find((b) => b.properties?.[key])?.properties?.[key]);
  }
  return out;
}

// The snake_case of output fields, computed once per name: the names are the output schemas' own (zod
// strips the rest before toWire sees them), so the map stays small; a regex per field per answer showed up
// on keys.verify's hot path.
const wireNames = new Map<string, string>();
function wireName(key: string): string {
  let name = wireNames.get(key);
  if (name === undefined) {
    name = snake(key);
    wireNames.set(key, name);
  }
  return name;
}

/** Free-form detail (an error's `details`): every key in wire names. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeKeys(v)]));
}

/**
 * The Keycard page info from ours. Cursors run forward only, so a page reached with a cursor has
 * items before it, and there is no cursor to the first item (start_cursor null).
 */
function pageInfo(info: { hasNextPage: boolean; endCursor: string | null }, hadCursor: boolean) {
  return {
    has_next_page: info.hasNextPage,
    has_prev_page: hadCursor,
    end_cursor: info.endCursor,
    start_cursor: null,
  };
}

export const PAGE_INFO_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Cursor pagination. Cursors are opaque and run forward; start_cursor is always null.',
  properties: {
    has_next_page: { type: 'boolean' },
    has_prev_page: { type: 'boolean' },
    end_cursor: { type: ['string', 'null'] },
    start_cursor: { type: ['string', 'null'] },
  },
  required: ['has_next_page', 'has_prev_page', 'end_cursor', 'start_cursor'],
  additionalProperties: false,
};

/**
 * A JSON Schema in wire names, for the OpenAPI document: property names snake_case, `pageInfo` as
 * `page_info`, role fields also accepting the Keycard role names.
 */
export function wireSchema(schema: JsonSchema, direction: 'input' | 'output'): JsonSchema {
  const { [DATE]: _date, ...out }: JsonSchema = schema;
  if (schema.properties) {
    out.properties = {};
    for (const [key, value] of Object.entries(schema.properties)) {
      if (key === 'pageInfo') {
        out.properties.page_info = { $ref: '#/components/schemas/PageInfo' };
        continue;
      }
      let converted = wireSchema(value, direction);
      if (direction === 'input' && ROLE_FIELDS.has(key)) {
        converted = {
          anyOf: [converted, { type: 'string', enum: keycardRoles }],
          description: 'A role key, or a Keycard role name (org_admin, org_member, org_viewer)',
        };
      }
      out.properties[snake(key)] = converted;
    }
  }
  if (schema.required) out.required = schema.required.map((k) => (k === 'pageInfo' ? 'page_info' : snake(k)));
  if (schema.items) out.items = wireSchema(schema.items, direction);
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = wireSchema(schema.additionalProperties, direction);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (list) out[key] = list.map((s) => wireSchema(s, direction));
  }
  if (schema.$defs) {
    out.$defs = Object.fromEntries(Object.entries(schema.$defs).map(([k, s]) => [k, wireSchema(s, direction)]));
  }
  return out;
}
