// The authorization matrix is complete: every procedure of the router belongs to a family, and each
// family has its authorization.test.ts (which checks it has an entry for each of its procedures; see
// testing/authorization/suite.ts). A new router fails here until families.ts gives it a family.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allProcedures, type Family, families, familyOf } from '../testing/authorization/families.js';

describe('authorization matrix', () => {
  it('has a family for every procedure', () => {
    expect(allProcedures().filter((path) => !familyOf(path))).toEqual([]);
  });

  it('has a test file for every family, next to what it tests', () => {
    const missing = (Object.keys(families) as Family[]).filter(
      (family) => !existsSync(new URL(`../${family}/authorization.test.ts`, import.meta.url)),
    );
    expect(missing).toEqual([]);
  });

  it('has no family without a procedure', () => {
    const used = new Set(allProcedures().map(familyOf));
    expect((Object.keys(families) as Family[]).filter((family) => !used.has(family))).toEqual([]);
  });
});
