import { anyOf, holderOf } from '../access/requirements.js';
import {
  ZApiKey,
  ZApiKeyPage,
  ZCreateKeyInput,
  ZKeyIdInput,
  ZListKeysInput,
  ZNewKey,
  ZRotatedKey,
  ZRotateKeyInput,
  ZUpdateKeyInput,
} from '../api-keys/schema.js';
import * as keys from '../api-keys/service.js';
import { ZOk } from '../core/schema.js';
import { ZWebauthnOptions } from '../mfa/schema.js';
import { ZExchangeSsoCodeInput } from '../sso/schema.js';
import { exchangeSsoCode } from '../sso/signin.js';
import {
  authedProcedure,
  maybeAuthedProcedure,
  mfaExemptAuthedProcedure,
  mfaExemptPrincipalProcedure,
  ownProcedure,
  publicProcedure,
  router,
  sessionProcedure,
} from '../trpc/procedures.js';
import {
  ZChangePasswordInput,
  ZLoginInput,
  ZLoginOutput,
  ZPasskeyLoginInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZSession,
  ZSignupInput,
  ZSignupOutput,
  ZVerifyEmailInput,
  ZVerifyEmailOutput,
  ZVerifyMfaInput,
  ZWhoami,
} from './schema.js';
import * as auth from './service.js';
import { ZListSessionsInput, ZRevokedSessions, ZRevokeSessionInput, ZSessionPage } from './sessions-schema.js';
import * as sessionsService from './sessions-service.js';

const ok = { ok: true as const };

/** auth.passkeys.*: signing in with a passkey instead of a password. */
export const passkeyLoginRouter = router({
  loginOptions: publicProcedure.output(ZWebauthnOptions).mutation(({ ctx }) => auth.passkeyLoginOptions(ctx)),
  login: publicProcedure
    .input(ZPasskeyLoginInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => auth.loginWithPasskey(ctx, input)),
});

/** auth.*; root.ts nests auth.sessions.* (sessionsRouter, below), auth.mfa.* and auth.passkeys.* under it. */
export const authProcedures = {
  whoami: mfaExemptPrincipalProcedure
    .output(ZWhoami)
    .query(({ ctx }) =>
      auth.whoami(ctx.principal, ctx.runtime, ctx.credential?.type === 'cookie' ? ctx.credential.token : undefined),
    ),
  signup: publicProcedure
    .input(ZSignupInput)
    .output(ZSignupOutput)
    .mutation(({ ctx, input }) => auth.signup(ctx, input)),
  login: publicProcedure
    .input(ZLoginInput)
    .output(ZLoginOutput)
    .mutation(({ ctx, input }) => auth.login(ctx, input)),
  verifyMfa: publicProcedure
    .input(ZVerifyMfaInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => auth.verifyMfa(ctx, input)),
  logout: mfaExemptAuthedProcedure.output(ZOk).mutation(async ({ ctx }) => {
    await auth.logout(ctx);
    return ok;
  }),
  changePassword: authedProcedure
    .input(ZChangePasswordInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await auth.changePassword(ctx, input);
      return ok;
    }),
  requestPasswordReset: publicProcedure
    .input(ZRequestPasswordResetInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await auth.requestPasswordReset(ctx, input);
      return ok;
    }),
  resetPassword: publicProcedure
    .input(ZResetPasswordInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await auth.resetPassword(ctx, input);
      return ok;
    }),
  // The one-time code an SSO sign-in handed to its redirect_uri (GET /sso/callback), for a session.
  // A bearer session (a page on another origin may hold it; the code itself came over the redirect), or
  // with cookie: true the browser's HttpOnly session cookie and its CSRF token.
  exchangeSsoCode: publicProcedure
    .input(ZExchangeSsoCodeInput)
    .output(ZSession)
    .mutation(({ ctx, input }) => exchangeSsoCode(ctx, input)),
  verifyEmail: maybeAuthedProcedure
    .input(ZVerifyEmailInput)
    .output(ZVerifyEmailOutput)
    .mutation(({ ctx, input }) => auth.verifyEmail(ctx, input)),
  requestEmailVerification: authedProcedure.output(ZOk).mutation(async ({ ctx }) => {
    await auth.requestEmailVerification(ctx);
    return ok;
  }),

  createKey: authedProcedure
    .input(ZCreateKeyInput)
    .output(ZNewKey)
    .mutation(({ ctx, input }) => keys.createKey(ctx, input)),
  listKeys: authedProcedure
    .input(ZListKeysInput)
    .output(ZApiKeyPage)
    .query(({ ctx, input }) => keys.listKeys(ctx, input)),
  getKey: ownProcedure(anyOf('apiKeys:read', holderOf('keyId')))
    .input(ZKeyIdInput)
    .output(ZApiKey)
    .query(({ ctx, input }) => keys.getKey(ctx, input.keyId)),
  updateKey: ownProcedure(anyOf('apiKeys:write', holderOf('keyId')))
    .input(ZUpdateKeyInput)
    .output(ZApiKey)
    .mutation(({ ctx, input }) => keys.updateKey(ctx, input)),
  revokeKey: ownProcedure(anyOf('apiKeys:write', holderOf('keyId')))
    .input(ZKeyIdInput)
    .output(ZApiKey)
    .mutation(({ ctx, input }) => keys.revokeKey(ctx, input.keyId)),
  rotateKey: ownProcedure(anyOf('apiKeys:write', holderOf('keyId')))
    .input(ZRotateKeyInput)
    .output(ZRotatedKey)
    .mutation(({ ctx, input }) => keys.rotateKey(ctx, input.keyId, input.gracePeriodSeconds)),
};

/** auth.sessions.*: the caller's own sessions, for a person signed in with one. */
export const sessionsRouter = router({
  list: sessionProcedure
    .input(ZListSessionsInput)
    .output(ZSessionPage)
    .query(({ ctx, input }) => sessionsService.listSessions(ctx, input)),
  revoke: sessionProcedure
    .input(ZRevokeSessionInput)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await sessionsService.revokeSession(ctx, input.sessionId);
      return { ok: true as const };
    }),
  revokeOthers: sessionProcedure
    .output(ZRevokedSessions)
    .mutation(({ ctx }) => sessionsService.revokeOtherSessions(ctx)),
});
