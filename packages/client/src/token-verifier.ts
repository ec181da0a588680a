import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/** The claims of a Gatehouse access token (a service account's, from the client-credentials grant). */
export interface AccessTokenClaims {
  /** Gatehouse's public URL. */
  iss: string;
  aud: string | string[];
  /** The service account's id (`sa_…`). */
  sub: string;
  /** Its organization's id (`org_…`). */
  org: string;
  /** The permissions granted, space-separated, as in the token. */
  scope: string;
  /** The same, split. */
  scopes: string[];
  client_id: string;
  iat: number;
  exp: number;
  jti: string;
}

export type TokenErrorCode =
  /** Not a compact JWS, or not one of ours (wrong `typ`, missing claims). */
  | 'TOKEN_MALFORMED'
  | 'TOKEN_EXPIRED'
  /** `alg` other than ES256 (`none`, HS256 with the public key as secret, …). */
  | 'TOKEN_ALGORITHM_NOT_ALLOWED'
  /** A `kid` the JWKS does not publish, even after refetching it. */
  | 'TOKEN_KEY_UNKNOWN'
  | 'TOKEN_SIGNATURE_INVALID'
  /** Wrong issuer, audience or organization, or not yet valid. */
  | 'TOKEN_CLAIMS_INVALID'
  /** Valid, but without a scope the caller requires. */
  | 'TOKEN_SCOPE_INSUFFICIENT'
  /** The JWKS could not be fetched (the token was not judged). */
  | 'JWKS_UNAVAILABLE';

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface TokenVerifierOptions {
  /** Gatehouse's public URL (`GATEHOUSE_PUBLIC_URL`): the `iss` of its tokens and where its JWKS is. */
  issuer: string;
  /** The `aud` this service accepts: what token requests name as `audience` (Gatehouse's URL by default). */
  audience: string | string[];
  /** Accept tokens of this organization only. Any service account of any organization can get a token for an audience. */
  organizationId?: string;
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** After a refetch, an unknown `kid` waits this long before the next one (default 30 s): a flood of bad tokens costs one fetch. */
  cooldownMs?: number;
  /** The JWKS is refetched when older than this (default 10 minutes). */
  cacheMaxAgeMs?: number;
  /** Allowed clock skew for `exp`/`iat` (default 5 s). */
  clockToleranceSeconds?: number;
}

export interface TokenVerifier {
  /** The token's claims if Gatehouse signed it for this audience and it has not expired; TokenVerificationError otherwise. */
  verify(token: string, options?: { requiredScopes?: string[] }): Promise<AccessTokenClaims>;
}

const ALGORITHMS = ['ES256'];

function classify(error: unknown): TokenVerificationError {
  if (error instanceof TokenVerificationError) return error;
  const fail = (code: TokenErrorCode, message: string) => new TokenVerificationError(code, message, { cause: error });
  if (error instanceof errors.JWTExpired) return fail('TOKEN_EXPIRED', 'The token has expired');
  if (error instanceof errors.JOSEAlgNotAllowed)
    return fail('TOKEN_ALGORITHM_NOT_ALLOWED', 'The token algorithm is not allowed');
  if (error instanceof errors.JWKSNoMatchingKey)
    return fail('TOKEN_KEY_UNKNOWN', 'The token was signed by an unknown key');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return fail('TOKEN_SIGNATURE_INVALID', 'The token signature is invalid');
  if (error instanceof errors.JWTClaimValidationFailed) {
    // jose reports a bad `typ` and missing claims as claim failures: those are not our tokens at all.
    const malformed = error.claim === 'typ' || error.reason === 'missing';
    return fail(
      malformed ? 'TOKEN_MALFORMED' : 'TOKEN_CLAIMS_INVALID',
      `Invalid token claim ${error.claim}: ${error.reason}`,
    );
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return fail('JWKS_UNAVAILABLE', 'The JWKS could not be fetched');
  }
  if (error instanceof errors.JOSEError) return fail('TOKEN_MALFORMED', `Malformed token (${error.code})`);
  // A network failure fetching the JWKS.
  return fail('JWKS_UNAVAILABLE', 'The JWKS could not be fetched');
}

/**
 * Verifies Gatehouse access tokens offline: against the JWKS, fetched once and cached, refetched when a
 * token names a `kid` it does not know (a rotation), at most once per `cooldownMs`. `alg` is pinned
 * to ES256. A token is trusted until its `exp` (15 minutes by default): Gatehouse itself refuses a
 * deleted account's tokens at once, an offline verifier only when they expire.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const issuer = options.issuer.replace(/\/+$/, '');
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks.json`), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
  });
  return {
    async verify(token, { requiredScopes = [] } = {}) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          algorithms: ALGORITHMS,
          issuer,
          audience: options.audience,
          typ: 'at+jwt',
          requiredClaims: ['sub', 'org', 'scope', 'client_id', 'jti', 'iat', 'exp'],
          clockTolerance: options.clockToleranceSeconds ?? 5,
        }));
      } catch (error) {
        throw classify(error);
      }
      const claims = payload as Omit<AccessTokenClaims, 'scopes'>;
      for (const name of ['sub', 'org', 'scope', 'client_id', 'jti'] as const) {
        if (typeof claims[name] !== 'string')
          throw new TokenVerificationError('TOKEN_MALFORMED', `Claim ${name} must be a string`);
      }
      if (options.organizationId && claims.org !== options.organizationId) {
        throw new TokenVerificationError('TOKEN_CLAIMS_INVALID', 'The token belongs to another organization');
      }
      const scopes = claims.scope.split(' ').filter(Boolean);
      const missing = requiredScopes.filter((s) => !scopes.includes(s));
      if (missing.length) {
        throw new TokenVerificationError('TOKEN_SCOPE_INSUFFICIENT', `The token lacks ${missing.join(', ')}`);
      }
      return { ...claims, scopes };
    },
  };
}
