import { describe, expect, it } from 'vitest';
import { changesOf } from './audit.js';

describe('changesOf', () => {
  it('records a field only when it is given and its content changes', () => {
    const current = { name: 'a', description: null as string | null, scopes: ['x', 'y'], limit: { max: 1 } };
    expect(changesOf(current, { name: 'a', description: undefined, scopes: ['x', 'y'], limit: { max: 1 } })).toEqual(
      {},
    );
    expect(changesOf(current, { name: 'b', description: 'd', scopes: ['x'], limit: { max: 2 } })).toEqual({
      name: { from: 'a', to: 'b' },
      description: { from: null, to: 'd' },
      scopes: { from: ['x', 'y'], to: ['x'] },
      limit: { from: { max: 1 }, to: { max: 2 } },
    });
  });

  it('compares dates by the instant they hold', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(changesOf({ expiresAt: at }, { expiresAt: new Date(at.getTime()) })).toEqual({});
    expect(changesOf({ expiresAt: at as Date | null }, { expiresAt: null })).toEqual({
      expiresAt: { from: at, to: null },
    });
  });
});
