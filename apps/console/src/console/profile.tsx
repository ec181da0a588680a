// The signed-in person's own account: name, password, second factors and sessions. Everything here
// acts on the caller alone (users.updateMe, auth.changePassword, auth.mfa.*, auth.sessions.*).
import { isGatehouseError } from '@gatehouse/client';
import { useGatehouse, useGatehouseQueries } from '@gatehouse/client/react';
import { startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import {
  Alert,
  Empty,
  ErrorState,
  Field,
  fieldErrorsOf,
  formErrorOf,
  formValues,
  Loading,
  messageOf,
  Page,
  Pager,
  when,
} from '../ui.tsx';

export function Profile() {
  return (
    <Page title="Your profile">
      <Details />
      <ChangePassword />
      <TwoStep />
      <Passkeys />
      <Sessions />
    </Page>
  );
}

function Details() {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const me = useQuery(gh.users.me.queryOptions());
  const update = useMutation(gh.users.updateMe.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  if (me.isPending) return <Loading />;
  if (!me.data) return <ErrorState error={me.error} />;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '' } = formValues(event.currentTarget);
    update.mutate({ name });
  };
  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">Your details</h2>
      <form onSubmit={onSubmit} className="narrow">
        <Field label="Name" name="name" defaultValue={me.data.name} required error={update.error} />
        <Field
          label="Email"
          name="email"
          value={me.data.email}
          readOnly
          hint={me.data.emailVerified ? 'Verified.' : 'Not verified yet: follow the link we mailed you.'}
        />
        <Alert>{formErrorOf(update.error, ['name'])}</Alert>
        <Alert tone="success">{update.isSuccess ? 'Your details are saved.' : null}</Alert>
        <button type="submit" className="primary" disabled={update.isPending}>
          Save details
        </button>
      </form>
    </section>
  );
}

function ChangePassword() {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const change = useMutation(
    gh.auth.changePassword.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { oldPassword = '', newPassword = '' } = formValues(form);
    change.mutate({ oldPassword, newPassword }, { onSuccess: () => form.reset() });
  };
  // The password rules name their field `password` (shared with sign-up and reset): here it is the new one.
  const rules = fieldErrorsOf(change.error).password;
  const newPasswordError = rules ? { fieldErrors: { newPassword: rules } } : change.error;
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={onSubmit} className="narrow">
        <Field
          label="Current password"
          name="oldPassword"
          type="password"
          autoComplete="current-password"
          required
          error={change.error}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          error={newPasswordError}
        />
        <Alert>{formErrorOf(change.error, ['oldPassword', 'newPassword', 'password'])}</Alert>
        <Alert tone="success">{change.isSuccess ? 'Your password is changed.' : null}</Alert>
        <button type="submit" className="primary" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </section>
  );
}

/** A base32 secret in groups of four, easier to type into an authenticator app. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

function TwoStep() {
  const gh = useGatehouseQueries();
  const status = useQuery(gh.auth.mfa.status.queryOptions());
  // Shown once, by whichever form produced them, until the person says they are kept.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const regenerate = useMutation(gh.auth.mfa.recoveryCodes.regenerate.mutationOptions());
  let body: ReactNode;
  if (recoveryCodes) body = <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  else if (status.isPending) body = <Loading />;
  else if (!status.data) body = <ErrorState error={status.error} />;
  else if (!status.data.totp.confirmed) body = <EnrollTotp onConfirmed={setRecoveryCodes} />;
  else {
    body = (
      <>
        <p>
          Two-step verification is on: signing in asks for a code from your authenticator app.{' '}
          {status.data.recoveryCodesLeft} recovery codes left.
        </p>
        <CodeForm
          title="New recovery codes"
          hint="The old codes stop working."
          button="Make new recovery codes"
          run={(code) => regenerate.mutateAsync({ code }).then((r) => setRecoveryCodes(r.recoveryCodes))}
          error={regenerate.error}
        />
        <DisableTotp />
      </>
    );
  }
  return (
    <section aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step verification</h2>
      {body}
    </section>
  );
}

function EnrollTotp({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const enroll = useMutation(gh.auth.mfa.totp.enroll.mutationOptions());
  const confirm = useMutation(gh.auth.mfa.totp.confirm.mutationOptions());
  if (!enroll.data) {
    return (
      <>
        <p>Add an authenticator app so that signing in also asks for a code from your phone.</p>
        <ErrorState error={enroll.error} />
        <button type="button" className="primary" disabled={enroll.isPending} onClick={() => enroll.mutate()}>
          Set up an authenticator app
        </button>
      </>
    );
  }
  const { secret, otpauthUri, qrSvg } = enroll.data;
  return (
    <>
      <p>Scan the code with your authenticator app, or type the key into it.</p>
      <img className="qr" src={`data:image/svg+xml;utf8,${encodeURIComponent(qrSvg)}`} alt="QR code of the key" />
      <p>
        Key:{' '}
        <span className="secret" data-testid="totp-secret">
          {grouped(secret)}
        </span>
      </p>
      <details>
        <summary>Setup link</summary>
        <p className="secret">{otpauthUri}</p>
      </details>
      <CodeForm
        title="Confirm"
        button="Turn on two-step verification"
        run={(code) =>
          confirm.mutateAsync({ code }).then((r) => {
            void queryClient.invalidateQueries();
            onConfirmed(r.recoveryCodes);
          })
        }
        error={confirm.error}
      />
    </>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <>
      <Alert tone="info">
        Keep these recovery codes somewhere safe: each one signs you in once if you lose your phone. They are shown only
        now.
      </Alert>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={onDone}>
        I have saved my recovery codes
      </button>
    </>
  );
}

/** A form asking for one code from the authenticator app. */
function CodeForm({
  title,
  hint,
  button,
  run,
  error,
  tone,
}: {
  title: string;
  hint?: string;
  button: string;
  run: (code: string) => Promise<unknown>;
  error: unknown;
  tone?: 'danger';
}) {
  const [pending, setPending] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { code = '' } = formValues(form);
    setPending(true);
    run(code)
      .then(() => form.reset())
      .catch(() => undefined)
      .finally(() => setPending(false));
  };
  return (
    <form onSubmit={onSubmit} className="narrow" aria-label={title}>
      <Field
        label={`${title}: code from your authenticator app`}
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        hint={hint}
        error={error}
      />
      <Alert>{formErrorOf(error, ['code'])}</Alert>
      <button type="submit" className={tone ?? 'primary'} disabled={pending}>
        {button}
      </button>
    </form>
  );
}

/**
 * Turning the factor off needs a factor proven in this session in the last 10 minutes: when the server
 * asks for that (MFA_STEP_UP_REQUIRED), one code proves it, and the next code turns it off.
 */
function DisableTotp() {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const disable = useMutation(
    gh.auth.mfa.disable.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }),
  );
  const stepUp = useMutation(gh.auth.mfa.stepUp.mutationOptions({ onSuccess: () => disable.reset() }));
  const needsStepUp = isGatehouseError(disable.error, 'MFA_STEP_UP_REQUIRED');
  if (needsStepUp) {
    return (
      <>
        <Alert tone="info">To turn two-step verification off, first confirm it is you.</Alert>
        <CodeForm
          title="Confirm it is you"
          button="Confirm"
          run={(code) => stepUp.mutateAsync({ code })}
          error={stepUp.error}
        />
      </>
    );
  }
  return (
    <>
      {stepUp.isSuccess ? (
        <Alert tone="success">Confirmed. Enter the next code your app shows to turn two-step verification off.</Alert>
      ) : null}
      <CodeForm
        title="Turn off"
        button="Turn off two-step verification"
        tone="danger"
        run={(code) => disable.mutateAsync({ code })}
        error={needsStepUp ? null : disable.error}
      />
    </>
  );
}

function Passkeys() {
  const gh = useGatehouseQueries();
  const client = useGatehouse();
  const queryClient = useQueryClient();
  const list = useQuery(gh.auth.mfa.passkeys.list.queryOptions());
  const remove = useMutation(
    gh.auth.mfa.passkeys.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }),
  );
  const add = useMutation({
    mutationFn: async (name: string) => {
      const options = await client.trpc.auth.mfa.passkeys.registrationOptions.mutate();
      // The server's options as WebAuthn defines them; the browser asks the authenticator.
      const response = await startRegistration({ optionsJSON: options as never });
      return client.trpc.auth.mfa.passkeys.register.mutate({ response: response as never, name: name || undefined });
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    add.mutate(formValues(form).name ?? '', { onSuccess: () => form.reset() });
  };
  return (
    <section aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      {list.isPending ? (
        <Loading />
      ) : !list.data ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No passkeys yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{when(p.createdAt)}</td>
                  <td>{when(p.lastUsedAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="danger"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ passkeyId: p.id })}
                    >
                      Remove {p.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Alert>{remove.error ? messageOf(remove.error) : null}</Alert>
      <form onSubmit={onSubmit} className="narrow">
        <Field label="Passkey name" name="name" hint="So you can tell it apart, e.g. Work laptop" error={add.error} />
        <Alert>{formErrorOf(add.error, ['name'])}</Alert>
        <button type="submit" disabled={add.isPending}>
          Add a passkey
        </button>
      </form>
    </section>
  );
}

function Sessions() {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useQuery(gh.auth.sessions.list.queryOptions({ limit: 20, cursor: cursors.at(-1) }));
  const done = { onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.auth.sessions.list.queryKey() }) };
  const revoke = useMutation(gh.auth.sessions.revoke.mutationOptions(done));
  const revokeOthers = useMutation(gh.auth.sessions.revokeOthers.mutationOptions(done));
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Last seen</th>
                <th scope="col">Signed in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{s.userAgent ?? 'Unknown device'}</td>
                  <td>{s.ip ?? '—'}</td>
                  <td>{when(s.lastSeenAt)}</td>
                  <td>{when(s.createdAt)}</td>
                  <td>
                    {s.current ? (
                      <span className="muted">This session</span>
                    ) : (
                      <button
                        type="button"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate({ sessionId: s.id })}
                      >
                        Sign out this session
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        cursors={cursors}
        nextCursor={page.data?.pageInfo.hasNextPage ? page.data.pageInfo.endCursor : null}
        onChange={setCursors}
      />
      <Alert>{revoke.error || revokeOthers.error ? messageOf(revoke.error ?? revokeOthers.error) : null}</Alert>
      <Alert tone="success">
        {revokeOthers.data ? `Signed out of ${revokeOthers.data.revoked} other sessions.` : null}
      </Alert>
      <button type="button" disabled={revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
        Sign out everywhere else
      </button>
    </section>
  );
}
