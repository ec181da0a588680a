import { orgProcedure, router } from '../trpc/procedures.js';
import {
  ZDisabledSso,
  ZEnableSsoInput,
  ZRetrieveSsoInput,
  ZSsoConnection,
  ZSsoRefInput,
  ZSsoTestResult,
  ZUpdateSsoInput,
} from './schema.js';
import * as sso from './service.js';

// One SSO connection per organization (OIDC); sign-in itself is HTTP (apps/server, /sso/…) and auth.exchangeSsoCode.
export const ssoRouter = router({
  enable: orgProcedure('sso:write')
    .input(ZEnableSsoInput)
    .output(ZSsoConnection)
    .mutation(({ ctx, input }) => sso.enableSso(ctx, input)),
  retrieve: orgProcedure('sso:read')
    .input(ZRetrieveSsoInput)
    .output(ZSsoConnection)
    .query(({ ctx, input }) => sso.retrieveSso(ctx, input)),
  update: orgProcedure('sso:write')
    .input(ZUpdateSsoInput)
    .output(ZSsoConnection)
    .mutation(({ ctx, input }) => sso.updateSso(ctx, input)),
  disable: orgProcedure('sso:write')
    .input(ZSsoRefInput)
    .output(ZDisabledSso)
    .mutation(({ ctx, input }) => sso.disableSso(ctx, input)),
  test: orgProcedure('sso:read')
    .input(ZSsoRefInput)
    .output(ZSsoTestResult)
    .mutation(({ ctx, input }) => sso.testSso(ctx, input)),
});
