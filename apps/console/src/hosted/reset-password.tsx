// Without a token: ask for a reset mail. With the mail's token: choose the new password.
import { useGatehouse } from '@gatehouse/client/react';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParam } from '../router.tsx';
import { Alert, Field, formErrorOf, formValues } from '../ui.tsx';

export function ResetPassword() {
  const client = useGatehouse();
  const token = useSearchParam('token');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  const submit = (work: () => Promise<unknown>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await work();
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  if (!token) {
    let email = '';
    return (
      <div className="card">
        <h1>Reset your password</h1>
        {done ? (
          <Alert tone="success">If an account uses that address, a reset link is on its way.</Alert>
        ) : (
          <form
            onSubmit={(e) => {
              email = formValues(e.currentTarget).email ?? '';
              return submit(() => client.auth.requestPasswordReset({ email }))(e);
            }}
          >
            <Field label="Email" name="email" type="email" autoComplete="email" required error={error} />
            <Alert>{formErrorOf(error, ['email'])}</Alert>
            <button type="submit" className="primary" disabled={pending}>
              Send reset link
            </button>
          </form>
        )}
        <p className="links">
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>Choose a new password</h1>
      {done ? (
        <>
          <Alert tone="success">Your password is changed. Every other session was signed out.</Alert>
          <p>
            <Link to="/sign-in">Sign in</Link>
          </p>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            const newPassword = formValues(e.currentTarget).newPassword ?? '';
            return submit(() => client.auth.resetPassword({ token, newPassword }))(e);
          }}
        >
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            error={error}
          />
          <Alert>{formErrorOf(error, ['newPassword'])}</Alert>
          <button type="submit" className="primary" disabled={pending}>
            Change password
          </button>
        </form>
      )}
    </div>
  );
}
