import { describe, expect, it } from 'vitest';
import { idAt, newId } from './ids.js';
import { idPattern } from './values.js';

describe('newId', () => {
  it('is the prefix and 26 lowercase base32 chars', () => {
    const id = newId('usr');
    expect(id).toMatch(idPattern('usr'));
    expect(id).toHaveLength(30);
  });

  it('sorts by creation time as a plain string', () => {
    const ids = [0, 1, 1_000, 86_400_000, 10 ** 12].map((dt) => newId('evt', 1_700_000_000_000 + dt));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('key')));
    expect(ids.size).toBe(10_000);
  });
});

describe('newId within one millisecond', () => {
  it('still sorts in creation order', () => {
    const at = 1_800_000_000_000;
    const ids = Array.from({ length: 1000 }, () => newId('evt', at));
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('idAt', () => {
  it('bounds the ids made before a time from those made at or after it', () => {
    // Later than any time this file's other tests made ids at (newId never goes back in time).
    const at = 3_000_000_000_000;
    const boundary = idAt('msg', at);
    expect(boundary).toMatch(idPattern('msg'));
    expect(newId('msg') < boundary).toBe(true);
    expect(idAt('msg', at - 1) < boundary).toBe(true);
    expect(newId('msg', at) >= boundary).toBe(true);
  });
});
