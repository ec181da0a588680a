// Service accounts: machine identities of the organization holding a role like members do, and the
// client credentials they exchange for access tokens (POST /oauth/token). A credential's secret is
// shown once.
import type { RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, navigate, useSearchParam } from '../router.tsx';
import { Alert, Empty, ErrorState, Field, formErrorOf, formValues, Loading, Page, Pager } from '../ui.tsx';
import { ConfirmDialog, SecretDialog } from './dialogs.tsx';

type Credential = RouterOutputs['serviceAccounts']['credentials']['list']['items'][number];

const PAGE_SIZE = 20;
const when = (date: Date | null, none: string) => (date ? date.toLocaleString() : none);

export function ServiceAccounts({ organizationId }: { organizationId: string }) {
  // The account whose credentials are shown is in the URL, so the back button returns to the list.
  const accountId = useSearchParam('account');
  return accountId ? (
    <Credentials organizationId={organizationId} serviceAccountId={accountId} />
  ) : (
    <AccountList organizationId={organizationId} />
  );
}

function AccountList({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const accounts = useQuery(
    gh.serviceAccounts.list.queryOptions({ organizationId, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
  );
  return (
    <Page title="Service accounts">
      <CreateAccount organizationId={organizationId} />
      <h2>Accounts</h2>
      {accounts.isPending ? (
        <Loading />
      ) : !accounts.data ? (
        <ErrorState error={accounts.error} />
      ) : accounts.data.items.length === 0 ? (
        <Empty>No service accounts yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.items.map((account) => (
                <tr key={account.id}>
                  <th scope="row">
                    <Link to={`/console/service-accounts?account=${account.id}`}>{account.name}</Link>
                    {account.description ? <div className="muted">{account.description}</div> : null}
                  </th>
                  <td>
                    <code>{account.role}</code>
                  </td>
                  <td>{account.createdAt.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        cursors={cursors}
        nextCursor={accounts.data?.pageInfo.hasNextPage ? accounts.data.pageInfo.endCursor : null}
        onChange={setCursors}
      />
    </Page>
  );
}

function CreateAccount({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const roles = useQuery(gh.roles.list.queryOptions({ organizationId }));
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(
    gh.serviceAccounts.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(gh.serviceAccounts.list.pathFilter());
        setFormKey((k) => k + 1);
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', description = '', role = 'member' } = formValues(event.currentTarget);
    create.mutate({ organizationId, name, role, ...(description.trim() ? { description } : {}) });
  };
  const error = create.error;
  return (
    <details className="panel" open>
      <summary>Create a service account</summary>
      <form key={formKey} onSubmit={onSubmit} noValidate>
        <Field label="Name" name="name" required error={error} />
        <Field label="Description" name="description" error={error} />
        <label className="field">
          Role
          {/* Never owner: a machine holds a role like a member does, and the server checks you hold it. */}
          <select name="role" defaultValue="member">
            {(roles.data ?? [{ key: 'member', name: 'Member' }])
              .filter((r) => r.key !== 'owner')
              .map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name}
                </option>
              ))}
          </select>
        </label>
        <Alert>{formErrorOf(error, ['name', 'description'])}</Alert>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create service account'}
        </button>
      </form>
    </details>
  );
}

function Credentials({ organizationId, serviceAccountId }: { organizationId: string; serviceAccountId: string }) {
  const gh = useGatehouseQueries();
  const account = useQuery(gh.serviceAccounts.retrieve.queryOptions({ organizationId, serviceAccountId }));
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const credentials = useQuery(
    gh.serviceAccounts.credentials.list.queryOptions({
      organizationId,
      serviceAccountId,
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    }),
  );
  const [secret, setSecret] = useState<RouterOutputs['serviceAccounts']['credentials']['create'] | null>(null);
  const [revoking, setRevoking] = useState<Credential | null>(null);

  if (account.isPending) return <Loading />;
  if (!account.data) return <ErrorState error={account.error} />;
  const sa = account.data;
  return (
    <Page
      title={sa.name}
      actions={
        <button type="button" onClick={() => navigate('/console/service-accounts')}>
          All service accounts
        </button>
      }
    >
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{sa.id}</code>
        </dd>
        <dt>Role</dt>
        <dd>
          <code>{sa.role}</code>
        </dd>
        {sa.description ? (
          <>
            <dt>Description</dt>
            <dd>{sa.description}</dd>
          </>
        ) : null}
      </dl>
      <CreateCredential organizationId={organizationId} serviceAccountId={serviceAccountId} onCreated={setSecret} />
      <h2>Credentials</h2>
      {credentials.isPending ? (
        <Loading />
      ) : !credentials.data ? (
        <ErrorState error={credentials.error} />
      ) : credentials.data.items.length === 0 ? (
        <Empty>No credentials yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client id</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {credentials.data.items.map((credential) => (
                <tr key={credential.id}>
                  <th scope="row">{credential.name}</th>
                  <td>
                    <code>{credential.clientId}</code>
                  </td>
                  <td>{when(credential.lastUsedAt, 'Never')}</td>
                  <td>{when(credential.expiresAt, 'Never')}</td>
                  <td>
                    <div className="actions">
                      <button type="button" className="danger" onClick={() => setRevoking(credential)}>
                        Revoke<span className="visually-hidden"> {credential.name}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        cursors={cursors}
        nextCursor={credentials.data?.pageInfo.hasNextPage ? credentials.data.pageInfo.endCursor : null}
        onChange={setCursors}
      />
      {secret ? (
        <SecretDialog
          title={`Credential "${secret.name}" created`}
          values={[
            { label: 'client id', value: secret.clientId },
            { label: 'client secret', value: secret.clientSecret },
          ]}
          onClose={() => setSecret(null)}
        >
          <p>
            Exchange them for an access token at <code>POST /oauth/token</code> (client credentials).
          </p>
        </SecretDialog>
      ) : null}
      {revoking ? (
        <RevokeCredential
          organizationId={organizationId}
          serviceAccountId={serviceAccountId}
          credential={revoking}
          onClose={() => setRevoking(null)}
        />
      ) : null}
    </Page>
  );
}

function CreateCredential({
  organizationId,
  serviceAccountId,
  onCreated,
}: {
  organizationId: string;
  serviceAccountId: string;
  onCreated: (credential: RouterOutputs['serviceAccounts']['credentials']['create']) => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(
    gh.serviceAccounts.credentials.create.mutationOptions({
      onSuccess: (credential) => {
        void queryClient.invalidateQueries(gh.serviceAccounts.credentials.list.pathFilter());
        setFormKey((k) => k + 1);
        onCreated(credential);
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', expiresInDays = '' } = formValues(event.currentTarget);
    create.mutate({
      organizationId,
      serviceAccountId,
      ...(name.trim() ? { name } : {}),
      ...(expiresInDays.trim() ? { expiresInDays: Number(expiresInDays) } : {}),
    });
  };
  const error = create.error;
  return (
    <form key={formKey} className="panel" onSubmit={onSubmit} noValidate aria-labelledby="new-credential">
      <h2 id="new-credential">New credential</h2>
      <div className="field-row">
        <Field label="Name" name="name" hint="Optional" error={error} />
        <Field
          label="Expires in (days)"
          name="expiresInDays"
          type="number"
          inputMode="numeric"
          hint="Optional: never, if empty"
          error={error}
        />
      </div>
      <Alert>{formErrorOf(error, ['name', 'expiresInDays'])}</Alert>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create credential
      </button>
    </form>
  );
}

function RevokeCredential({
  organizationId,
  serviceAccountId,
  credential,
  onClose,
}: {
  organizationId: string;
  serviceAccountId: string;
  credential: Credential;
  onClose: () => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const remove = useMutation(
    gh.serviceAccounts.credentials.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(gh.serviceAccounts.credentials.list.pathFilter());
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      title={`Revoke "${credential.name}"?`}
      confirm="Revoke credential"
      pending={remove.isPending}
      error={<Alert>{formErrorOf(remove.error, [])}</Alert>}
      onConfirm={() => remove.mutate({ organizationId, serviceAccountId, credentialId: credential.id })}
      onClose={onClose}
    >
      <p>
        <code>{credential.clientId}</code> can no longer get tokens, and the tokens it got are refused by Gatehouse at
        once. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
