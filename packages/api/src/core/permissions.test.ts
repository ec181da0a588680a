import { describe, expect, it } from 'vitest';
import { allPermissions, builtInRoles } from './permissions.js';

describe('permission catalogue', () => {
  it('lists every resource:action once', () => {
    expect(new Set(allPermissions).size).toBe(allPermissions.length);
    expect(allPermissions).toContain('members:invite');
  });

  it('gives no organization role credits:grant', () => {
    for (const permissions of Object.values(builtInRoles)) expect(permissions).not.toContain('credits:grant');
  });

  it('orders built-in roles by strength: each holds everything of the next', () => {
    const order = [builtInRoles.owner, builtInRoles.admin, builtInRoles.member, builtInRoles.viewer];
    for (let i = 1; i < order.length; i++) {
      for (const p of order[i] ?? []) expect(order[i - 1]).toContain(p);
    }
  });
});
