import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { normalizeDomain } from './normalize.js';

const ZDomainName = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((value) => normalizeDomain(value) !== null, {
    message: 'Must be a domain name (e.g. example.com): not an address, a URL or a public suffix such as com',
  });

export const ZAddDomainInput = z.strictObject({ organizationId: zId('org'), domain: ZDomainName });
export type TAddDomainInput = z.infer<typeof ZAddDomainInput>;
export const ZDomainRefInput = z.strictObject({ organizationId: zId('org'), domainId: zId('dom') });
export type TDomainRef = z.infer<typeof ZDomainRefInput>;
export const ZListDomainsInput = ZPageInput.extend({ organizationId: zId('org') }).strict();
export type TListDomainsInput = z.infer<typeof ZListDomainsInput>;

export const ZDomainStatus = z.enum(['pending', 'verified', 'failed']);

export const ZDomain = z.object({
  id: z.string(),
  organizationId: z.string(),
  /** Lowercase ASCII; an internationalized name in punycode. */
  domain: z.string(),
  /** pending until the TXT record is seen; failed once a verified domain stops verifying. */
  status: ZDomainStatus,
  /** Where to publish the TXT record, and its value. */
  txtName: z.string(),
  txtValue: z.string(),
  verifiedAt: z.date().nullable(),
  /** When DNS last confirmed the record. */
  checkedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TDomain = z.infer<typeof ZDomain>;
export const ZDomainPage = zPage(ZDomain);
export const ZRemovedDomain = z.object({ id: z.string(), deleted: z.literal(true) });
