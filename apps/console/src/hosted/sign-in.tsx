// Sign in: password, then the second factor when the account has one; or through the organization's
// identity provider (SSO), which comes back here with a one-time code.
import { useGatehouse, useSession, useSignIn, useSsoSignIn, useVerifyMfa } from '@gatehouse/client/react';
import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, navigate, useSearchParam } from '../router.tsx';
import { Alert, Field, formErrorOf, formValues } from '../ui.tsx';

/** Where to go once signed in: a path of this site only (never another origin). */
export function useNext(): string {
  const next = useSearchParam('next');
  // A path, not `//host` or `/\host`, which browsers read as another origin.
  return next && /^\/(?![/\\])/.test(next) ? next : '/console';
}

export function SignIn() {
  const session = useSession();
  const next = useNext();
  const { signIn, isPending, error } = useSignIn();
  const sso = useSsoSignIn();
  const [challenge, setChallenge] = useState<{ challengeToken: string; methods: string[] } | null>(null);
  const ssoCode = useSearchParam('code');

  // Back from the identity provider with a one-time code: exchange it once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs for the code the page came back with
  useEffect(() => {
    if (ssoCode) void sso.complete().catch(() => undefined);
  }, [ssoCode]);
  useEffect(() => {
    if (session.status === 'signedIn') navigate(next, { replace: true });
  }, [session.status, next]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { email = '', password = '' } = formValues(event.currentTarget);
    const result = await signIn({ email, password }).catch(() => null);
    if (result?.mfaRequired) setChallenge(result);
  };

  if (challenge) return <MfaStep challengeToken={challenge.challengeToken} methods={challenge.methods} />;
  return (
    <div className="card">
      <h1>Sign in</h1>
      <form onSubmit={onSubmit} noValidate={false}>
        <Field label="Email" name="email" type="email" autoComplete="username" required error={error} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={error}
        />
        <Alert>{formErrorOf(error, ['email', 'password'])}</Alert>
        <button type="submit" className="primary" disabled={isPending}>
          {isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <SsoForm start={sso.start} error={sso.error} />
      <p className="links">
        <Link to="/reset-password">Forgot your password?</Link> · <Link to="/sign-up">Create an account</Link>
      </p>
    </div>
  );
}

function SsoForm({ start, error }: { start: (label: string, o?: { redirectUri?: string }) => void; error: unknown }) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { organization = '' } = formValues(event.currentTarget);
    start(organization.trim(), { redirectUri: `${window.location.origin}/sign-in` });
  };
  return (
    <details className="sso">
      <summary>Sign in with single sign-on</summary>
      <form onSubmit={onSubmit}>
        <Field label="Organization" name="organization" required hint="Your organization's label, e.g. acme" />
        <Alert>{formErrorOf(error, [])}</Alert>
        <button type="submit">Continue</button>
      </form>
    </details>
  );
}

function MfaStep({ challengeToken, methods }: { challengeToken: string; methods: string[] }) {
  const { verify, isPending, error } = useVerifyMfa();
  const [useRecovery, setUseRecovery] = useState(!methods.includes('totp'));
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { code = '' } = formValues(event.currentTarget);
    await verify(useRecovery ? { challengeToken, recoveryCode: code } : { challengeToken, code }).catch(() => null);
  };
  // A passkey-only account has no code to type.
  const codes = methods.includes('totp') || methods.includes('recoveryCode');
  return (
    <div className="card">
      <h1>Two-step verification</h1>
      {codes ? (
        <form onSubmit={onSubmit}>
          <Field
            key={String(useRecovery)}
            label={useRecovery ? 'Recovery code' : 'Code from your authenticator app'}
            name="code"
            autoComplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'}
            required
            error={error}
          />
          <Alert>{formErrorOf(error, ['code', 'recoveryCode'])}</Alert>
          <button type="submit" className="primary" disabled={isPending}>
            Verify
          </button>
        </form>
      ) : null}
      {methods.includes('passkey') ? <PasskeyStep challengeToken={challengeToken} /> : null}
      {methods.includes('recoveryCode') && methods.includes('totp') ? (
        <button type="button" className="link" onClick={() => setUseRecovery(!useRecovery)}>
          {useRecovery ? 'Use your authenticator app' : 'Use a recovery code'}
        </button>
      ) : null}
    </div>
  );
}

/** The second step with a passkey: the browser asks the authenticator to sign the server's challenge. */
function PasskeyStep({ challengeToken }: { challengeToken: string }) {
  const client = useGatehouse();
  const queryClient = useQueryClient();
  const passkey = useMutation({
    mutationFn: async () => {
      const options = await client.trpc.auth.passkeys.loginOptions.mutate();
      const response = await startAuthentication({ optionsJSON: options as never });
      // The challenge remembers the cookie mode of the sign-in: the server sets the session cookie.
      await client.trpc.auth.verifyMfa.mutate({ challengeToken, passkeyResponse: response as never });
    },
    onSuccess: () => queryClient.resetQueries(),
  });
  return (
    <div className="passkey-step">
      <Alert>{passkey.error ? formErrorOf(passkey.error, []) : null}</Alert>
      <button type="button" disabled={passkey.isPending} onClick={() => passkey.mutate()}>
        Use a passkey
      </button>
    </div>
  );
}
