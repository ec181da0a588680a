// API keys: the caller's own keys in this organization (auth.listKeys), a new one with scopes, limits
// and expiry, its secret shown once; rotate (a new secret, shown once) and revoke.
import type { RouterInputs, RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Alert, Empty, ErrorState, Field, formErrorOf, formValues, Loading, Page, Pager } from '../ui.tsx';
import { ConfirmDialog, SecretDialog } from './dialogs.tsx';
import { PermissionList, PermissionPicker } from './permission-picker.tsx';

type ApiKey = RouterOutputs['auth']['listKeys']['items'][number];
type Status = NonNullable<RouterInputs['auth']['listKeys']['status']>;

const PAGE_SIZE = 20;
const when = (date: Date | null, none: string) => (date ? date.toLocaleString() : none);

export function Keys() {
  const gh = useGatehouseQueries();
  const [status, setStatus] = useState<Status | ''>('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const keys = useQuery(
    gh.auth.listKeys.queryOptions({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(status ? { status } : {}) }),
  );
  const [secret, setSecret] = useState<{ title: string; key: string } | null>(null);
  const [acting, setActing] = useState<{ kind: 'rotate' | 'revoke'; key: ApiKey } | null>(null);

  return (
    <Page title="API keys">
      <p className="muted">
        Your keys in this organization. A key acts as you, within its scopes; use it as{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <CreateKey onCreated={(key) => setSecret({ title: `Key "${key.name}" created`, key: key.key })} />

      <h2>Your keys</h2>
      <label className="inline-field">
        Status{' '}
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status | '');
            setCursors([undefined]);
          }}
        >
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="revoked">Revoked</option>
          <option value="expired">Expired</option>
        </select>
      </label>
      {keys.isPending ? (
        <Loading />
      ) : !keys.data ? (
        <ErrorState error={keys.error} />
      ) : keys.data.items.length === 0 ? (
        <Empty>No keys yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.keyPrefix}</code>
                  </td>
                  <td>{key.scopes ? <PermissionList permissions={key.scopes} /> : 'All of your permissions'}</td>
                  <td>{when(key.lastUsedAt, 'Never')}</td>
                  <td>{when(key.expiresAt, 'Never')}</td>
                  <td>
                    <span className={`badge badge-${key.status}`}>{key.status}</span>
                  </td>
                  <td>
                    <div className="actions">
                      {key.status === 'active' ? (
                        <>
                          <button type="button" onClick={() => setActing({ kind: 'rotate', key })}>
                            Rotate<span className="visually-hidden"> {key.name}</span>
                          </button>
                          <button type="button" className="danger" onClick={() => setActing({ kind: 'revoke', key })}>
                            Revoke<span className="visually-hidden"> {key.name}</span>
                          </button>
                        </>
                      ) : null}
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
        nextCursor={keys.data?.pageInfo.hasNextPage ? keys.data.pageInfo.endCursor : null}
        onChange={setCursors}
      />

      {acting?.kind === 'revoke' ? <RevokeKey apiKey={acting.key} onClose={() => setActing(null)} /> : null}
      {acting?.kind === 'rotate' ? (
        <RotateKey
          apiKey={acting.key}
          onClose={() => setActing(null)}
          onRotated={(key) => {
            setActing(null);
            setSecret({ title: `New secret for "${acting.key.name}"`, key });
          }}
        />
      ) : null}
      {secret ? (
        <SecretDialog
          title={secret.title}
          values={[{ label: 'key', value: secret.key }]}
          onClose={() => setSecret(null)}
        >
          <p>Use it as a bearer token.</p>
        </SecretDialog>
      ) : null}
    </Page>
  );
}

/** The form's optional number: absent when empty (a wrong one is the server's to refuse, beside its field). */
const optionalNumber = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

function CreateKey({ onCreated }: { onCreated: (key: RouterOutputs['auth']['createKey']) => void }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const create = useMutation(
    gh.auth.createKey.mutationOptions({
      onSuccess: (key) => {
        void queryClient.invalidateQueries(gh.auth.listKeys.pathFilter());
        onCreated(key);
      },
    }),
  );
  const [formKey, setFormKey] = useState(0);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = formValues(form);
    const scopes = new FormData(form).getAll('scopes').map(String);
    const limit = values['rateLimit.limit']?.trim() ?? '';
    const windowSeconds = values['rateLimit.windowSeconds']?.trim() ?? '';
    const expiresInDays = optionalNumber(values.expiresInDays);
    const remaining = optionalNumber(values.remaining);
    create.mutate(
      {
        name: values.name ?? '',
        ...(scopes.length ? { scopes } : {}),
        ...(expiresInDays !== undefined ? { expiresInDays } : {}),
        ...(remaining !== undefined ? { remaining } : {}),
        // Both or neither: one without the other is refused beside the missing field.
        ...(limit || windowSeconds
          ? { rateLimit: { limit: Number(limit), windowSeconds: Number(windowSeconds) } }
          : {}),
      },
      // A fresh, empty form for the next key.
      { onSuccess: () => setFormKey((k) => k + 1) },
    );
  };
  const error = create.error;
  const fields = ['name', 'scopes', 'expiresInDays', 'remaining', 'rateLimit.limit', 'rateLimit.windowSeconds'];
  return (
    <details className="panel" open>
      <summary>Create a key</summary>
      <form key={formKey} onSubmit={onSubmit} noValidate>
        <Field label="Name" name="name" required maxLength={100} error={error} />
        <PermissionPicker
          name="scopes"
          legend="Scopes"
          hint="What the key may do. None chosen: everything you may do in this organization."
          error={error}
        />
        <div className="field-row">
          <Field
            label="Rate limit (calls)"
            name="rateLimit.limit"
            type="number"
            inputMode="numeric"
            hint="Optional"
            error={error}
          />
          <Field
            label="Per window (seconds)"
            name="rateLimit.windowSeconds"
            type="number"
            inputMode="numeric"
            hint="Optional"
            error={error}
          />
        </div>
        <div className="field-row">
          <Field
            label="Remaining calls"
            name="remaining"
            type="number"
            inputMode="numeric"
            hint="Optional: the key stops working after this many calls"
            error={error}
          />
          <Field
            label="Expires in (days)"
            name="expiresInDays"
            type="number"
            inputMode="numeric"
            hint="Optional: never, if empty"
            error={error}
          />
        </div>
        <Alert>{formErrorOf(error, fields)}</Alert>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
    </details>
  );
}

function RevokeKey({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    gh.auth.revokeKey.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(gh.auth.listKeys.pathFilter());
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      title={`Revoke "${apiKey.name}"?`}
      confirm="Revoke key"
      pending={revoke.isPending}
      error={<Alert>{formErrorOf(revoke.error, [])}</Alert>}
      onConfirm={() => revoke.mutate({ keyId: apiKey.id })}
      onClose={onClose}
    >
      <p>
        Every call made with <code>{apiKey.keyPrefix}</code> is refused from now on, and keys made with it stop working
        too. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

function RotateKey({
  apiKey,
  onClose,
  onRotated,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onRotated: (key: string) => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const rotate = useMutation(
    gh.auth.rotateKey.mutationOptions({
      onSuccess: (rotated) => {
        void queryClient.invalidateQueries(gh.auth.listKeys.pathFilter());
        onRotated(rotated.key);
      },
    }),
  );
  return (
    <ConfirmDialog
      title={`Rotate "${apiKey.name}"?`}
      confirm="Rotate key"
      pending={rotate.isPending}
      error={<Alert>{formErrorOf(rotate.error, [])}</Alert>}
      onConfirm={(form) =>
        rotate.mutate({ keyId: apiKey.id, gracePeriodSeconds: Number(formValues(form).gracePeriodSeconds ?? 0) })
      }
      onClose={onClose}
    >
      <p>The key gets a new secret, shown once. Its name, scopes and limits stay.</p>
      <label className="field">
        The old secret keeps working for
        <select name="gracePeriodSeconds" defaultValue="0">
          <option value="0">No time: it stops now</option>
          <option value="3600">1 hour</option>
          <option value="86400">1 day</option>
        </select>
      </label>
    </ConfirmDialog>
  );
}
