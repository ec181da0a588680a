import { router, verifierMutation, verifierProcedure } from '../trpc/procedures.js';
import { ZVerifyKeyInput, ZVerifyKeyResult } from './schema.js';
import * as keys from './service.js';

export const keysRouter = router({
  // A service of the integrator's asks about a key its caller presented: in the verifier's own
  // organization with apiKeys:verify, in any with platform credentials holding platform:apiKeys:verify.
  verify: verifierProcedure
    .input(ZVerifyKeyInput)
    .output(ZVerifyKeyResult)
    .mutation(({ ctx, input }) => keys.verifyKey(ctx, input)),
});

/** keys.verify for REST's POST /api/v1/keys/verify, the same chain without tRPC's caller (hot path). */
export const verifyKeyDirect = verifierMutation(ZVerifyKeyInput, ZVerifyKeyResult, keys.verifyKey);
