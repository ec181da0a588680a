import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { ZOk } from '../core/schema.js';
import { router, sessionProcedure } from '../trpc/procedures.js';
import {
  ZCodeInput,
  ZMfaStatus,
  ZPasskey,
  ZPasskeyList,
  ZRecoveryCodes,
  ZRegisterPasskeyInput,
  ZRemovePasskeyInput,
  ZTotpEnrollment,
  ZWebauthnOptions,
} from './schema.js';
import * as mfa from './service.js';

const ok = { ok: true as const };

/**
 * auth.mfa.*: the caller's own second factors, for a person signed in with a session (an API key is
 * SESSION_ONLY). Open to a session whose organization requires a factor it does not have yet: this is
 * where it enrols.
 */
export const mfaRouter = router({
  status: sessionProcedure.output(ZMfaStatus).query(({ ctx }) => mfa.status(ctx)),
  totp: router({
    enroll: sessionProcedure.output(ZTotpEnrollment).mutation(({ ctx }) => mfa.enrollTotp(ctx)),
    confirm: sessionProcedure
      .input(ZCodeInput)
      .output(ZRecoveryCodes)
      .mutation(({ ctx, input }) => mfa.confirmTotp(ctx, input)),
  }),
  recoveryCodes: router({
    regenerate: sessionProcedure
      .input(ZCodeInput)
      .output(ZRecoveryCodes)
      .mutation(({ ctx, input }) => mfa.regenerateRecoveryCodes(ctx, input)),
  }),
  passkeys: router({
    registrationOptions: sessionProcedure
      .output(ZWebauthnOptions)
      .mutation(({ ctx }) => mfa.passkeyRegistrationOptions(ctx)),
    register: sessionProcedure
      .input(ZRegisterPasskeyInput)
      .output(ZPasskey)
      .mutation(({ ctx, input }) =>
        mfa.registerPasskey(ctx, { response: input.response as unknown as RegistrationResponseJSON, name: input.name }),
      ),
    list: sessionProcedure.output(ZPasskeyList).query(({ ctx }) => mfa.listPasskeys(ctx)),
    remove: sessionProcedure
      .input(ZRemovePasskeyInput)
      .output(ZOk)
      .mutation(async ({ ctx, input }) => {
        await mfa.removePasskey(ctx, input.passkeyId);
        return ok;
      }),
  }),
  stepUp: sessionProcedure
    .input(ZCodeInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await mfa.stepUp(ctx, input);
      return ok;
    }),
  disable: sessionProcedure
    .input(ZCodeInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await mfa.disable(ctx, input);
      return ok;
    }),
});
