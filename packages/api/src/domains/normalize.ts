import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Characters a URL parser would cut the name at (`acme.com/x` is `acme.com` to it): refused, never trimmed.
const NOT_A_NAME = /[/\\:@?#%*\s]/;

/**
 * The canonical form of a domain an organization claims: lowercase ASCII (an internationalized name
 * in punycode), without a trailing dot, at most 253 characters of LDH labels; or null when it is not a
 * domain one can own: an IP address, a single label, or a public suffix (`com`, `co.uk`, and the
 * private suffixes such as `github.io`, under which each name has its own owner).
 */
export function normalizeDomain(input: string): string | null {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '' || NOT_A_NAME.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '' || ascii.length > 253) return null;
  if (!ascii.split('.').every((label) => LABEL.test(label))) return null;
  const parsed = parse(ascii, { allowPrivateDomains: true });
  if (parsed.isIp || parsed.domain === null) return null;
  return ascii;
}

/** The domain of an email address, normalized like a claimed domain (null when there is none). */
export function domainOfEmail(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at < 0 ? null : normalizeDomain(email.slice(at + 1));
}

/** The DNS name whose TXT record proves a claim on `domain`. */
export const txtNameOf = (domain: string) => `_gatehouse-challenge.${domain}`;
