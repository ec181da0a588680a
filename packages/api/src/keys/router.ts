import { router, verifierProcedure } from '../trpc/procedures.js';
import { ZVerifyKeyInput, ZVerifyKeyResult } from './schema.js';
import * as keys from './service.js';

export const keysRouter = router({
  // A service of the integrator's asks about a key its caller presented: in the verifier's own
  // organization with apiKeys:verify, in any with platform credentials holding platform:apiKeys:verify.
  verify: verifierProcedure('apiKeys:verify', 'platform:apiKeys:verify')
    .input(ZVerifyKeyInput)
    .output(ZVerifyKeyResult)
    .mutation(({ ctx, input }) => keys.verifyKey(ctx, input)),
});
