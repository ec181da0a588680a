import { orgProcedure, router } from '../trpc/procedures.js';
import { ZAddDomainInput, ZDomain, ZDomainPage, ZDomainRefInput, ZListDomainsInput, ZRemovedDomain } from './schema.js';
import * as domains from './service.js';

// An organization's verified domains decide whom its SSO provisions: the SSO permissions govern them.
export const domainsRouter = router({
  add: orgProcedure('sso:write')
    .input(ZAddDomainInput)
    .output(ZDomain)
    .mutation(({ ctx, input }) => domains.addDomain(ctx, input)),
  verify: orgProcedure('sso:write')
    .input(ZDomainRefInput)
    .output(ZDomain)
    .mutation(({ ctx, input }) => domains.verifyDomain(ctx, input)),
  list: orgProcedure('sso:read')
    .input(ZListDomainsInput)
    .output(ZDomainPage)
    .query(({ ctx, input }) => domains.listDomains(ctx, input)),
  remove: orgProcedure('sso:write')
    .input(ZDomainRefInput)
    .output(ZRemovedDomain)
    .mutation(({ ctx, input }) => domains.removeDomain(ctx, input)),
});
