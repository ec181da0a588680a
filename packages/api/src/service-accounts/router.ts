import { ZOk } from '../core/schema.js';
import { issueToken, OAuthError } from '../tokens/issue.js';
import { orgProcedure, publicProcedure, router } from '../trpc/procedures.js';
import {
  ZCreateCredentialInput,
  ZCreateServiceAccountInput,
  ZCredential,
  ZCredentialPage,
  ZCredentialRefInput,
  ZExchangeTokenInput,
  ZListCredentialsInput,
  ZListServiceAccountsInput,
  ZNewCredential,
  ZRetrieveServiceAccountInput,
  ZServiceAccount,
  ZServiceAccountPage,
  ZServiceAccountRefInput,
  ZTokenResponse,
  ZUpdateCredentialInput,
  ZUpdateServiceAccountInput,
} from './schema.js';
import * as accounts from './service.js';

const ok = { ok: true as const };

const credentialsRouter = router({
  create: orgProcedure('serviceAccounts:write')
    .input(ZCreateCredentialInput)
    .output(ZNewCredential)
    .mutation(({ ctx, input }) => accounts.createCredential(ctx, input)),
  list: orgProcedure('serviceAccounts:read')
    .input(ZListCredentialsInput)
    .output(ZCredentialPage)
    .query(({ ctx, input }) => accounts.listCredentials(ctx, input)),
  retrieve: orgProcedure('serviceAccounts:read')
    .input(ZCredentialRefInput)
    .output(ZCredential)
    .query(({ ctx, input }) => accounts.retrieveCredential(ctx, input)),
  update: orgProcedure('serviceAccounts:write')
    .input(ZUpdateCredentialInput)
    .output(ZCredential)
    .mutation(({ ctx, input }) => accounts.updateCredential(ctx, input)),
  delete: orgProcedure('serviceAccounts:write')
    .input(ZCredentialRefInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await accounts.deleteCredential(ctx, input);
      return ok;
    }),
});

export const serviceAccountsRouter = router({
  create: orgProcedure('serviceAccounts:write')
    .input(ZCreateServiceAccountInput)
    .output(ZServiceAccount)
    .mutation(({ ctx, input }) => accounts.createServiceAccount(ctx, input)),
  list: orgProcedure('serviceAccounts:read')
    .input(ZListServiceAccountsInput)
    .output(ZServiceAccountPage)
    .query(({ ctx, input }) => accounts.listServiceAccounts(ctx, input)),
  retrieve: orgProcedure('serviceAccounts:read')
    .input(ZRetrieveServiceAccountInput)
    .output(ZServiceAccount)
    .query(({ ctx, input }) => accounts.retrieveServiceAccount(ctx, input)),
  update: orgProcedure('serviceAccounts:write')
    .input(ZUpdateServiceAccountInput)
    .output(ZServiceAccount)
    .mutation(({ ctx, input }) => accounts.updateServiceAccount(ctx, input)),
  delete: orgProcedure('serviceAccounts:write')
    .input(ZServiceAccountRefInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await accounts.deleteServiceAccount(ctx, input);
      return ok;
    }),
  credentials: credentialsRouter,
});

/**
 * organizations.exchangeToken: the client-credentials grant over tRPC (Keycard's
 * `POST /organizations/{id}/token`). The credential is the authentication, as on /oauth/token.
 */
export const exchangeTokenProcedure = publicProcedure
  .input(ZExchangeTokenInput)
  .output(ZTokenResponse)
  .mutation(async ({ ctx, input }) => {
    try {
      return await issueToken(ctx, input);
    } catch (error) {
      throw error instanceof OAuthError ? error.toAppError() : error;
    }
  });
