// A user's own API keys (auth.*Key, users.*ApiKey): whose key each caller may see, change, revoke and rotate.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { type Action, keyGate } from '../testing/authorization/actors.js';
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { authed, type Entries, org, ownKey, ownKeyRules } from '../testing/authorization/entries.js';
import {
  FORBIDDEN,
  MEMBERSHIP_DEACTIVATED,
  NO_ORGANIZATION,
  NOT_FOUND,
  NOT_KEY_HOLDER,
  OK,
  OUTRANKED,
  USER_ONLY,
} from '../testing/authorization/outcomes.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  // A key belongs to an organization: a user of none makes none, and has none.
  'auth.createKey': authed((c) => c.auth.createKey({ name: 'gate' }), { noOrganization: NO_ORGANIZATION }),
  'auth.listKeys': authed((c) => c.auth.listKeys({}), { noOrganization: NO_ORGANIZATION }),
  // One's own key; a user of no organization has none, and another's is NOT_FOUND to them.
  'auth.getKey': authed(async (c, f, me) => c.auth.getKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'auth.updateKey': authed(
    async (c, f, me) => c.auth.updateKey({ keyId: await ownKey(f, me), name: 'Renamed' }),
    ownKeyRules,
  ),
  'auth.revokeKey': authed(async (c, f, me) => c.auth.revokeKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'auth.rotateKey': authed(async (c, f, me) => c.auth.rotateKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'users.apiKeys': authed((c) => c.users.apiKeys(), { noOrganization: NO_ORGANIZATION }),
  'users.createApiKey': authed((c) => c.users.createApiKey({ name: 'gate' }), { noOrganization: NO_ORGANIZATION }),
  'users.revokeApiKey': authed(async (c, f, me) => c.users.revokeApiKey({ keyId: await ownKey(f, me) }), {
    noOrganization: NOT_FOUND,
  }),
  // In the caller's own organization: another tenant's key is an answer (valid: false, NOT_FOUND; keys/keys.test.ts).
  'keys.verify': org('apiKeys:verify', async (c, f) => c.keys.verify({ key: (await f.member()).key as string }), {
    outsider: 'OK',
  }),
};

const actions: Action[] = [
  {
    name: 'auth.getKey',
    procedure: 'auth.getKey',
    call: (c, r) => c.auth.getKey({ keyId: r.target.keyId as string }),
    // Every member manages their own keys.
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'read') ?? OK,
    needsKey: true,
  },
  {
    name: 'auth.updateKey',
    procedure: 'auth.updateKey',
    call: (c, r) => c.auth.updateKey({ keyId: r.target.keyId as string, name: 'Renamed key' }),
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'write') ?? OK,
    after: (s) => ({ ...s, keyName: 'Renamed key' }),
    needsKey: true,
  },
  {
    name: 'auth.revokeKey',
    procedure: 'auth.revokeKey',
    call: (c, r) => c.auth.revokeKey({ keyId: r.target.keyId as string }),
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'write') ?? OK,
    after: (s) => ({ ...s, keyRevoked: true }),
    needsKey: true,
  },
  {
    name: 'auth.rotateKey',
    procedure: 'auth.rotateKey',
    call: (c, r) => c.auth.rotateKey({ keyId: r.target.keyId as string }),
    self: () => OK,
    // Rotation hands out a working secret: only the key's holder rotates it.
    expected: (x, t) => keyGate(x, t, 'write') ?? NOT_KEY_HOLDER,
    needsKey: true,
  },
];

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'users.revokeApiKey': (c, _, x) => c.users.revokeApiKey({ keyId: x.member.keyId as string }),
  'auth.getKey': (c, _, x) => c.auth.getKey({ keyId: x.member.keyId as string }),
  'auth.updateKey': (c, _, x) => c.auth.updateKey({ keyId: x.member.keyId as string, name: 'Taken' }),
  'auth.revokeKey': (c, _, x) => c.auth.revokeKey({ keyId: x.member.keyId as string }),
  'auth.rotateKey': (c, _, x) => c.auth.rotateKey({ keyId: x.member.keyId as string }),
};

// 736 rows: 28 actor/credential pairs × 6 targets holding a key × 4 actions, and the 16 member pairs acting on themselves in each.
describeAuthorization('api-keys', {
  entries,
  actors: {
    actions,
    rows: 736,
    outcomes: [OK, NOT_FOUND, FORBIDDEN, OUTRANKED, NOT_KEY_HOLDER, USER_ONLY, MEMBERSHIP_DEACTIVATED],
  },
  crossTenant: { calls: crossTenantCalls },
});
