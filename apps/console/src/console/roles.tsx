// Roles: the built-in roles and the organization's custom ones with what they grant, and an editor for
// custom roles over the permission catalogue. Who may grant what is the server's to say (roles:write,
// and nobody grants a permission they do not hold): its refusals are shown as they come.
import type { RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Alert, Empty, ErrorState, Field, formErrorOf, formValues, Loading, Page } from '../ui.tsx';
import { ConfirmDialog } from './dialogs.tsx';
import { PermissionList, PermissionPicker } from './permission-picker.tsx';

type Role = RouterOutputs['roles']['list'][number];

export function Roles({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  // One answer, not paged: an organization has at most 100 custom roles (roles.create refuses more).
  const roles = useQuery(gh.roles.list.queryOptions({ organizationId }));
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);

  return (
    <Page
      title="Roles"
      actions={
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          New role
        </button>
      }
    >
      {editing ? (
        <RoleEditor
          // A new form for each role edited.
          key={editing === 'new' ? 'new' : (editing.id ?? editing.key)}
          organizationId={organizationId}
          role={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {roles.isPending ? (
        <Loading />
      ) : !roles.data ? (
        <ErrorState error={roles.error} />
      ) : roles.data.length === 0 ? (
        <Empty>No roles.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Permissions</th>
                <th scope="col">Members</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((role) => (
                <tr key={role.key}>
                  <th scope="row">
                    {role.name}
                    <div className="muted">
                      <code>{role.key}</code> · {role.builtIn ? 'Built-in' : 'Custom'}
                    </div>
                    {role.description ? <div className="muted">{role.description}</div> : null}
                  </th>
                  <td>
                    <PermissionList permissions={role.permissions} />
                  </td>
                  <td>{role.memberCount}</td>
                  <td>
                    <div className="actions">
                      {role.builtIn ? null : (
                        <>
                          <button type="button" onClick={() => setEditing(role)}>
                            Edit<span className="visually-hidden"> {role.name}</span>
                          </button>
                          <button type="button" className="danger" onClick={() => setDeleting(role)}>
                            Delete<span className="visually-hidden"> {role.name}</span>
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting ? (
        <DeleteRole
          organizationId={organizationId}
          role={deleting}
          others={(roles.data ?? []).filter((r) => r.key !== deleting.key && r.key !== 'owner')}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </Page>
  );
}

function RoleEditor({
  organizationId,
  role,
  onDone,
}: {
  organizationId: string;
  /** null: a new role. */
  role: Role | null;
  onDone: () => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const onSuccess = async () => {
    await queryClient.invalidateQueries(gh.roles.list.pathFilter());
    onDone();
  };
  const create = useMutation(gh.roles.create.mutationOptions({ onSuccess }));
  const update = useMutation(gh.roles.update.mutationOptions({ onSuccess }));
  const mutation = role ? update : create;
  const error = mutation.error;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const { key = '', name = '', description = '' } = formValues(form);
    const permissions = new FormData(form).getAll('permissions').map(String);
    const fields = { name, description: description.trim() || null, permissions };
    if (role?.id) update.mutate({ organizationId, roleId: role.id, ...fields });
    else create.mutate({ organizationId, key, ...fields });
  };

  return (
    <form className="panel" onSubmit={onSubmit} noValidate aria-labelledby="role-editor-title">
      <h2 id="role-editor-title">{role ? `Edit ${role.name}` : 'New role'}</h2>
      {role ? null : (
        <Field
          label="Key"
          name="key"
          required
          hint="A lowercase slug, e.g. billing-admin; it cannot change later"
          error={error}
        />
      )}
      <Field label="Name" name="name" required defaultValue={role?.name} error={error} />
      <Field label="Description" name="description" defaultValue={role?.description ?? ''} error={error} />
      <PermissionPicker name="permissions" legend="Permissions" checked={role?.permissions} error={error} />
      <Alert>{formErrorOf(error, ['key', 'name', 'description', 'permissions'])}</Alert>
      <div className="actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {role ? 'Save role' : 'Create role'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DeleteRole({
  organizationId,
  role,
  others,
  onClose,
}: {
  organizationId: string;
  role: Role;
  /** Where its holders may go. */
  others: Role[];
  onClose: () => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const remove = useMutation(
    gh.roles.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(gh.roles.list.pathFilter());
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      title={`Delete the role "${role.name}"?`}
      confirm="Delete role"
      pending={remove.isPending}
      error={<Alert>{formErrorOf(remove.error, [])}</Alert>}
      onConfirm={(form) => {
        const { reassignTo = '' } = formValues(form);
        remove.mutate({ organizationId, roleId: role.id ?? '', ...(reassignTo ? { reassignTo } : {}) });
      }}
      onClose={onClose}
    >
      <p>This cannot be undone.</p>
      {/* Members, service accounts and teams may hold it: the server refuses the delete while any do. */}
      <label className="field">
        Move whoever holds it to
        <select name="reassignTo" defaultValue="">
          <option value="">Nobody holds it</option>
          {others.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
    </ConfirmDialog>
  );
}
