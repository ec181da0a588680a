// The deployment operator's page (platform admins only): every organization (suspend, unsuspend) and
// user (deactivate, activate), and the permissions the operator registers for their own resources.
import { isGatehouseError } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
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

export function Platform() {
  return (
    <Page title="Platform">
      <Organizations />
      <Users />
      <Permissions />
    </Page>
  );
}

/** A search box over a list; a new search starts again at the first page. */
function Search({ label, onSearch }: { label: string; onSearch: (search: string | undefined) => void }) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(formValues(event.currentTarget).search?.trim() || undefined);
  };
  return (
    <search>
      <form onSubmit={onSubmit} className="search" aria-label={label}>
        <Field label={label} name="search" type="search" />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

function Organizations() {
  const gh = useGatehouseQueries();
  const [search, setSearch] = useState<string>();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useQuery(gh.platform.organizations.list.queryOptions({ search, limit: 20, cursor: cursors.at(-1) }));
  return (
    <section aria-labelledby="platform-orgs-title">
      <h2 id="platform-orgs-title">Organizations</h2>
      <Search
        label="Search organizations"
        onSearch={(s) => {
          setSearch(s);
          setCursors([undefined]);
        }}
      />
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Empty>No organizations.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Label</th>
                <th scope="col">Members</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{o.label}</td>
                  <td>{o.memberCount}</td>
                  <td>
                    {o.plan} <span className="muted">({o.subscriptionStatus})</span>
                  </td>
                  <td>
                    {o.status}
                    {o.suspendedReason ? <div className="muted">{o.suspendedReason}</div> : null}
                  </td>
                  <td>{when(o.createdAt)}</td>
                  <td>
                    <Suspension organization={o} />
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
    </section>
  );
}

function Users() {
  const gh = useGatehouseQueries();
  const [search, setSearch] = useState<string>();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useQuery(gh.platform.users.list.queryOptions({ search, limit: 20, cursor: cursors.at(-1) }));
  const queryClient = useQueryClient();
  const refresh = { onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.platform.users.pathKey() }) };
  const activate = useMutation(gh.platform.users.activate.mutationOptions(refresh));
  const deactivate = useMutation(gh.platform.users.deactivate.mutationOptions(refresh));
  const statusError = activate.error ?? deactivate.error;
  return (
    <section aria-labelledby="platform-users-title">
      <h2 id="platform-users-title">Users</h2>
      <Alert>{statusError ? messageOf(statusError) : null}</Alert>
      <Search
        label="Search users"
        onSearch={(s) => {
          setSearch(s);
          setCursors([undefined]);
        }}
      />
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Empty>No users.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Platform role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>
                    {u.email}
                    {u.emailVerified ? null : <span className="muted"> (not verified)</span>}
                  </td>
                  <td>{u.status}</td>
                  <td>{u.platformRole}</td>
                  <td>{when(u.lastLoginAt)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={activate.isPending || deactivate.isPending}
                      onClick={() => (u.status === 'deactivated' ? activate : deactivate).mutate({ userId: u.id })}
                    >
                      {u.status === 'deactivated' ? 'Activate' : 'Deactivate'} {u.email}
                    </button>
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
    </section>
  );
}

/** Suspends an organization (its members and keys are refused until it is unsuspended), with the reason. */
function Suspension({ organization }: { organization: { id: string; name: string; status: string } }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const refresh = {
    onSuccess: () => {
      setAsking(false);
      void queryClient.invalidateQueries({ queryKey: gh.platform.organizations.pathKey() });
    },
  };
  const suspend = useMutation(gh.platform.organizations.suspend.mutationOptions(refresh));
  const unsuspend = useMutation(gh.platform.organizations.unsuspend.mutationOptions(refresh));
  const organizationId = organization.id;
  if (organization.status === 'suspended') {
    return (
      <>
        <Alert>{unsuspend.error ? messageOf(unsuspend.error) : null}</Alert>
        <button type="button" disabled={unsuspend.isPending} onClick={() => unsuspend.mutate({ organizationId })}>
          Unsuspend {organization.name}
        </button>
      </>
    );
  }
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Suspend {organization.name}
      </button>
    );
  }
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    suspend.mutate({ organizationId, reason: formValues(event.currentTarget).reason ?? '' });
  };
  return (
    <form onSubmit={onSubmit} aria-label={`Suspend ${organization.name}`}>
      <Field label={`Why suspend ${organization.name}`} name="reason" required error={suspend.error} />
      <Alert>{formErrorOf(suspend.error, ['reason'])}</Alert>
      <div className="actions">
        <button type="submit" className="danger" disabled={suspend.isPending}>
          Suspend
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const ROLES = ['member', 'viewer'] as const;

/** The built-in roles below admin checked in the form (owner and admin hold every registered permission). */
const grantedToOf = (form: HTMLFormElement) =>
  new FormData(form).getAll('grantedTo').map(String) as (typeof ROLES)[number][];

function GrantedTo({ error, checked = [] }: { error: unknown; checked?: string[] }) {
  const messages = fieldErrorsOf(error).grantedTo ?? [];
  return (
    <fieldset>
      <legend>Also held by (owners and admins hold it always)</legend>
      {ROLES.map((role) => (
        <label key={role} className="check">
          <input type="checkbox" name="grantedTo" value={role} defaultChecked={checked.includes(role)} /> {role}
        </label>
      ))}
      {messages.length ? <p className="field-error">{messages.join(' ')}</p> : null}
    </fieldset>
  );
}

function Permissions() {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const list = useQuery(gh.platform.permissions.list.queryOptions());
  const refresh = { onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.platform.permissions.pathKey() }) };
  const create = useMutation(gh.platform.permissions.create.mutationOptions(refresh));
  const remove = useMutation(gh.platform.permissions.delete.mutationOptions(refresh));
  const [editing, setEditing] = useState<string | null>(null);
  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { key = '', description = '' } = formValues(form);
    create.mutate(
      { key: key.trim(), description: description.trim() || undefined, grantedTo: grantedToOf(form) },
      { onSuccess: () => form.reset() },
    );
  };
  // Held by roles or keys: the server refuses (HAS_DEPENDENCIES) until it is asked to take it from them.
  const held = isGatehouseError(remove.error, 'HAS_DEPENDENCIES') ? remove.variables?.key : undefined;
  return (
    <section aria-labelledby="platform-permissions-title">
      <h2 id="platform-permissions-title">Registered permissions</h2>
      <Alert>{remove.error ? messageOf(remove.error) : null}</Alert>
      {held ? (
        <p className="actions">
          <button type="button" className="danger" onClick={() => remove.mutate({ key: held, force: true })}>
            Delete {held} and take it from every role and key
          </button>
        </p>
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : !list.data ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No permissions registered yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                <th scope="col">Description</th>
                <th scope="col">Held by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) =>
                editing === p.key ? (
                  <tr key={p.key}>
                    <td colSpan={4}>
                      <EditPermission permission={p} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : (
                  <tr key={p.key}>
                    <td>
                      <code>{p.key}</code>
                    </td>
                    <td>{p.description ?? '—'}</td>
                    <td>
                      {p.grantedTo.join(', ')}; {p.heldBy.roles} custom roles, {p.heldBy.keys} keys
                    </td>
                    <td>
                      <div className="actions">
                        <button type="button" onClick={() => setEditing(p.key)}>
                          Edit {p.key}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          disabled={remove.isPending}
                          onClick={() => remove.mutate({ key: p.key })}
                        >
                          Delete {p.key}
                        </button>
                      </div>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      <h3>Register a permission</h3>
      <form onSubmit={onCreate} className="narrow">
        <Field
          label="Permission"
          name="key"
          required
          error={create.error}
          hint="<resource>:<action>, e.g. workflows:read"
        />
        <Field label="Description" name="description" error={create.error} />
        <GrantedTo error={create.error} />
        <Alert>{formErrorOf(create.error, ['key', 'description', 'grantedTo'])}</Alert>
        <button type="submit" className="primary" disabled={create.isPending}>
          Register permission
        </button>
      </form>
    </section>
  );
}

function EditPermission({
  permission,
  onDone,
}: {
  permission: { key: string; description: string | null; grantedTo: string[] };
  onDone: () => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const update = useMutation(
    gh.platform.permissions.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: gh.platform.permissions.pathKey() });
        onDone();
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const description = formValues(form).description?.trim();
    update.mutate({ key: permission.key, description: description || null, grantedTo: grantedToOf(form) });
  };
  return (
    <form onSubmit={onSubmit} aria-label={`Edit ${permission.key}`}>
      <Field
        label={`Description of ${permission.key}`}
        name="description"
        defaultValue={permission.description ?? ''}
        error={update.error}
      />
      <GrantedTo error={update.error} checked={permission.grantedTo} />
      <Alert>{formErrorOf(update.error, ['description', 'grantedTo'])}</Alert>
      <p className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save {permission.key}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </p>
    </form>
  );
}
