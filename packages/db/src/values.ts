// Pure values the api's zod schemas share with the entities: no Node built-in and no MikroORM, so
// `@gatehouse/api/schemas` bundles for a browser. One place per constant; index.ts re-exports them.

// The contract's public prefixes, internal ones (mem, prt, msg) that never leave the server, ses (a
// user sees their own sessions' ids in auth.sessions.list), and rbd for role bindings, rsv for credit
// reservations, ghk for token signing keys (the `kid`), dom for an organization's domains, ssi for SSO
// identities, rcv for recovery codes, mfc for sign-in challenges, pky for passkeys, wac for WebAuthn
// challenges, and for webhooks: ev for an organization's events (`evt` is the audit trail's), whk for
// webhook endpoints, whd for their deliveries (the contract names no prefix for any of these).
export const idPrefixes = [
  'usr',
  'org',
  'mem',
  'key',
  'ses',
  'prt',
  'inv',
  'sa',
  'cred',
  'txn',
  'role',
  'team',
  'prj',
  'sso',
  'evt',
  'msg',
  'rsv',
  'ghk',
  'rbd',
  'dom',
  'ev',
  'whk',
  'whd',
  'ssi',
  'rcv',
  'mfc',
  'pky',
  'wac',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

// Crockford base32, lower-cased: ids sort by creation time as plain strings.
export const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const actorTypes = ['user', 'apiKey', 'serviceAccount', 'system'] as const;

export const creditTransactionTypes = ['purchase', 'grant', 'usage', 'refund', 'adjustment', 'expiry'] as const;
export type CreditTransactionType = (typeof creditTransactionTypes)[number];

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_[${ALPHABET}]{26}$`);
}
