// The link of a verification mail. An account someone else created for this address (pre-registered,
// invited) is claimed here: the server then asks for a password first.
import { useGatehouse } from '@gatehouse/client/react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParam } from '../router.tsx';
import { Alert, Field, fieldErrorsOf, formErrorOf, formValues, Loading } from '../ui.tsx';

type State =
  | { step: 'verifying' }
  | { step: 'claim'; error: unknown }
  | { step: 'done'; claimed: boolean }
  | { step: 'failed'; error: unknown };

export function VerifyEmail() {
  const client = useGatehouse();
  const token = useSearchParam('token') ?? '';
  const [state, setState] = useState<State>({ step: 'verifying' });
  const started = useRef(false);

  const verify = async (password?: string) => {
    try {
      await client.auth.verifyEmail(token, password ? { password } : {});
      setState({ step: 'done', claimed: Boolean(password) });
    } catch (error) {
      const claim = fieldErrorsOf(error).password !== undefined;
      setState(claim ? { step: 'claim', error: password ? error : null } : { step: 'failed', error });
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: one attempt per visit (the token is spent by it)
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void verify();
  }, []);

  const onClaim = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    await verify(formValues(event.currentTarget).password);
  };

  return (
    <div className="card">
      <h1>Verify your email</h1>
      {state.step === 'verifying' ? <Loading label="Verifying…" /> : null}
      {state.step === 'claim' ? (
        <form onSubmit={onClaim}>
          <p>This account was created for you. Choose a password to claim it.</p>
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={state.error}
          />
          <Alert>{formErrorOf(state.error, ['password'])}</Alert>
          <button type="submit" className="primary">
            Claim account
          </button>
        </form>
      ) : null}
      {state.step === 'done' ? (
        <>
          <Alert tone="success">
            {state.claimed ? 'Your account is ready. Sign in with your new password.' : 'Your email is verified.'}
          </Alert>
          <p>
            <Link to={state.claimed ? '/sign-in' : '/console'}>
              {state.claimed ? 'Sign in' : 'Continue to the console'}
            </Link>
          </p>
        </>
      ) : null}
      {state.step === 'failed' ? (
        <>
          <Alert>{formErrorOf(state.error, [])}</Alert>
          <p>
            The link may have expired or been used already. <Link to="/console">Go to the console</Link> to ask for a
            new one.
          </p>
        </>
      ) : null}
    </div>
  );
}
