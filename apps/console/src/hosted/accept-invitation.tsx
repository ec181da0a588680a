// The link of an invitation mail: who invites you where, then accept (signed in, or by creating the
// account here) or decline. Nothing about the organization is shown beyond its name.
import { useGatehouse, useGatehouseQueries, useSession } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useSearchParam } from '../router.tsx';
import { Alert, ErrorState, Field, formErrorOf, formValues, Loading } from '../ui.tsx';

export function AcceptInvitation() {
  const client = useGatehouse();
  const gh = useGatehouseQueries();
  const session = useSession();
  const here = useLocation();
  const token = useSearchParam('token') ?? '';
  const lookup = useQuery({ ...gh.invitations.lookup.queryOptions({ token }), enabled: token !== '', retry: false });
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<'accepted' | 'declined' | 'created' | null>(null);

  const act = async (work: () => Promise<unknown>, done: typeof outcome) => {
    setError(null);
    try {
      await work();
      setOutcome(done);
    } catch (e) {
      setError(e);
    }
  };
  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', password = '' } = formValues(event.currentTarget);
    void act(() => client.invitations.accept(token, { name, password }), 'created');
  };

  if (lookup.isPending && token) return <Loading />;
  const invitation = lookup.data;
  return (
    <div className="card">
      <h1>Invitation</h1>
      {!invitation ? <ErrorState error={lookup.error ?? new Error('This link has no invitation token.')} /> : null}
      {invitation && outcome === null ? (
        <>
          <p>
            {invitation.inviterName ?? 'Someone'} invited you to join <strong>{invitation.organizationName}</strong> as{' '}
            <strong>{invitation.role}</strong>.
          </p>
          {invitation.status !== 'pending' ? <Alert tone="info">This invitation is {invitation.status}.</Alert> : null}
          {invitation.status === 'pending' && session.status === 'signedIn' ? (
            <div className="actions">
              <button
                type="button"
                className="primary"
                onClick={() => act(() => client.invitations.accept(token), 'accepted')}
              >
                Accept as {session.user?.email}
              </button>
              <button type="button" onClick={() => act(() => client.invitations.decline(token), 'declined')}>
                Decline
              </button>
            </div>
          ) : null}
          {invitation.status === 'pending' && session.status === 'signedOut' ? (
            <>
              <p>
                Have an account? <Link to={`/sign-in?next=${encodeURIComponent(here)}`}>Sign in to accept</Link>. New
                here? Create your account:
              </p>
              <form onSubmit={onCreate}>
                <Field label="Your name" name="name" autoComplete="name" required error={error} />
                <Field
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  required
                  error={error}
                />
                <div className="actions">
                  <button type="submit" className="primary">
                    Accept and create account
                  </button>
                  <button type="button" onClick={() => act(() => client.invitations.decline(token), 'declined')}>
                    Decline
                  </button>
                </div>
              </form>
            </>
          ) : null}
          <Alert>{formErrorOf(error, ['name', 'password'])}</Alert>
        </>
      ) : null}
      {outcome === 'accepted' ? (
        <Alert tone="success">
          You joined {invitation?.organizationName}. <Link to="/console">Open the console</Link>
        </Alert>
      ) : null}
      {outcome === 'created' ? (
        <Alert tone="success">
          Your account is ready and you joined {invitation?.organizationName}. <Link to="/sign-in">Sign in</Link>
        </Alert>
      ) : null}
      {outcome === 'declined' ? <Alert tone="info">You declined the invitation.</Alert> : null}
    </div>
  );
}
