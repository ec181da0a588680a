import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serialize } from './wire.js';

// What a serializer sends, as JSON on the wire, or the error it refuses with (superjson refuses
// `__proto__` keys, for one).
const sent = (serializer: (v: unknown) => unknown) => (value: unknown) => {
  try {
    return JSON.parse(JSON.stringify(serializer(value)));
  } catch (error) {
    return { refused: (error as Error).message };
  }
};
const wire = sent((v) => superjson.serialize(v));
const ours = sent(serialize);

describe('the output serializer', () => {
  it('writes exactly what superjson writes, for anything an output can hold', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.double(),
      fc.integer(),
      fc.date(),
      fc.bigInt(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 4 }),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('a.b', 'c\\d', 'e\\.f')), tie('node'), {
        maxKeys: 4,
      }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(ours(v)).toEqual(wire(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips a members page through superjson on the client', () => {
    const page = {
      items: [
        { userId: 'usr_1', joinedAt: new Date(1), invitationId: undefined, status: 'active' },
        { userId: 'usr_2', joinedAt: new Date(2), status: 'invited' },
      ],
      pageInfo: { hasNextPage: false, endCursor: null },
    };
    expect(superjson.deserialize(serialize(page))).toEqual(page);
    // An object met twice keeps superjson's identity record.
    const shared = new Date(3);
    expect(ours({ a: shared, b: shared })).toEqual(wire({ a: shared, b: shared }));
  });
});
