// The authorization matrix (contract: "Accounts, consent and authority"; issue 12), one file per
// action family (`<family>/authorization.test.ts`, next to what it tests; families.ts says which
// procedures are whose). Each family's file gives:
//
// 1. An entry for every procedure of the family (entries.ts), so a new procedure cannot ship without
//    saying who may call it; trpc/authorization-matrix.test.ts checks that every procedure has a family.
// 2. For a procedure that acts on a member, rows in the actor matrix (actors.ts): each actor through
//    each credential on each target, expecting one outcome written from the rules, never from the code.
// 3. A cross-tenant call for every id-taking procedure (cross-tenant.ts): another tenant's id in the
//    caller's own organization is NOT_FOUND and changes nothing there.
// 4. The gates (gates.ts), for every procedure that takes a credential: anonymous UNAUTHORIZED, another
//    tenant NOT_FOUND, each built-in role (key and session) OK or FORBIDDEN, a service account of each
//    role (token; USER_ONLY for what only a user does), a deactivated member (MEMBERSHIP_DEACTIVATED),
//    an external collaborator (their project role on project procedures, NOT_FOUND elsewhere), a
//    suspended organization's owner and service account (ORGANIZATION_SUSPENDED), each with the exact
//    code and reason; the platform router and the platform-only credits permissions likewise. The
//    public procedures take none: their token or client credentials are the authentication.
import { describe, expect, it } from 'vitest';
import { type Action, describeActorMatrix } from './actors.js';
import { type CrossTenantCall, describeCrossTenant } from './cross-tenant.js';
import type { Entries } from './entries.js';
import { type Family, proceduresOf } from './families.js';
import { describeGates } from './gates.js';
import type { Outcome } from './outcomes.js';
import { useMatrixRuntime } from './setup.js';

export interface FamilyMatrix {
  entries: Entries;
  /** The actor matrix's actions on the family's member-affecting procedures, and what its rows add up to. */
  actors?: { actions: Action[]; rows: number; outcomes: Outcome[] };
  /** The id-taking procedures' calls with another tenant's ids, and those exempt (with why). */
  crossTenant?: { calls: Record<string, CrossTenantCall>; exempt?: Record<string, string> };
}

/** The family's whole matrix, on a database of the test file's own. */
export function describeAuthorization(family: Family, { entries, actors, crossTenant }: FamilyMatrix) {
  useMatrixRuntime();
  const procedures = proceduresOf(family);

  describe(`authorization matrix: ${family}`, () => {
    it('has an entry for every procedure', () => {
      expect(procedures).toEqual(Object.keys(entries).sort());
    });

    const onMember = Object.entries(entries)
      .filter(([, e]) => (e.kind === 'org' || e.kind === 'authed') && e.onMember)
      .map(([path]) => path)
      .sort();
    if (onMember.length > 0 || actors) {
      it('has actor rows for every procedure that acts on a member, and only for those', () => {
        expect([...new Set((actors?.actions ?? []).map((a) => a.procedure))].sort()).toEqual(onMember);
      });
    }
    if (actors) describeActorMatrix(actors.actions, actors);

    describeCrossTenant(procedures, crossTenant?.calls ?? {}, crossTenant?.exempt);
    describeGates(entries);
  });
}
