// Create an account. The session cookie comes with the answer; the verification mail is on its way.
import { useGatehouse } from '@gatehouse/client/react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from '../router.tsx';
import { Alert, Field, formErrorOf, formValues } from '../ui.tsx';

export function SignUp() {
  const client = useGatehouse();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', email = '', password = '' } = formValues(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await client.auth.signup({ name, email, password, cookie: true });
      await queryClient.resetQueries();
      setDone(email);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  if (done) {
    return (
      <div className="card">
        <h1>Check your email</h1>
        <p>
          We sent a link to <strong>{done}</strong>. Open it to verify your address.
        </p>
        <p>
          <Link to="/console">Continue to the console</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h1>Create your account</h1>
      <form onSubmit={onSubmit}>
        <Field label="Name" name="name" autoComplete="name" required error={error} />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={error} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required error={error} />
        <Alert>{formErrorOf(error, ['name', 'email', 'password'])}</Alert>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="links">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
