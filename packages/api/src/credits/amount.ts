import { z } from 'zod';

/**
 * Credits travel as numbers with at most 6 decimals and live as integer micro-credits (bigint):
 * arithmetic never touches a float. A number with ≤ 6 decimals up to 10^9 is exactly k / 10^6 for
 * an integer k < 2^53, so the conversions below are exact both ways.
 */
export const MICRO = 1_000_000n;

/** The most one operation may move: a billion credits. */
export const MAX_AMOUNT = 1_000_000_000;

/**
 * The highest balance an account may reach: beyond 2^53 micro-credits the wire's `number` would
 * no longer be exact.
 */
export const MAX_BALANCE = BigInt(Number.MAX_SAFE_INTEGER);

const hasSixDecimals = (n: number) => Math.round(n * 1e6) / 1e6 === n;

/** A number of credits ≥ 0 with at most 6 decimals. */
export const ZCredits = z
  .number()
  .min(0)
  .max(MAX_AMOUNT)
  .refine(hasSixDecimals, 'At most 6 decimals (1 credit = 1,000,000 micro-credits)');

/** A positive number of credits. */
export const ZPositiveCredits = ZCredits.refine((n) => n > 0, 'Must be greater than 0');

/** A non-zero number of credits, either sign (an adjustment). */
export const ZSignedCredits = z
  .number()
  .min(-MAX_AMOUNT)
  .max(MAX_AMOUNT)
  .refine((n) => n !== 0, 'Must not be 0')
  .refine(hasSixDecimals, 'At most 6 decimals (1 credit = 1,000,000 micro-credits)');

/** Credits (validated as above) → micro-credits. */
export const toMicro = (credits: number): bigint => BigInt(Math.round(credits * 1e6));

/** Micro-credits (as PostgreSQL returns a bigint: a string) → credits. */
export const fromMicro = (micro: bigint | string | number): number => Number(BigInt(micro)) / 1e6;
