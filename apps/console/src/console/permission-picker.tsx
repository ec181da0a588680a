// Checkboxes over the permission catalogue (built-in and the operator's registered ones), one group per
// resource. Used by the API key form (scopes) and the role editor; the server decides what may be held.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { ErrorState, fieldErrorsOf, Loading } from '../ui.tsx';

/** `members: read, invite` from `['members:read', 'members:invite']`, resource by resource. */
export function groupByResource(permissions: readonly string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const permission of permissions) {
    const at = permission.indexOf(':');
    const resource = permission.slice(0, at);
    groups.set(resource, [...(groups.get(resource) ?? []), permission.slice(at + 1)]);
  }
  return [...groups];
}

/** A compact list of permissions, one line per resource. */
export function PermissionList({ permissions }: { permissions: readonly string[] }) {
  return (
    <ul className="permission-list">
      {groupByResource(permissions).map(([resource, actions]) => (
        <li key={resource}>
          <strong>{resource}</strong> {actions.join(', ')}
        </li>
      ))}
    </ul>
  );
}

export function PermissionPicker({
  name,
  legend,
  hint,
  checked = [],
  error,
}: {
  /** The form field the chosen permissions go in (read them with FormData.getAll). */
  name: string;
  legend: string;
  hint?: string;
  checked?: readonly string[];
  error?: unknown;
}) {
  const gh = useGatehouseQueries();
  const catalogue = useQuery(gh.permissions.catalogue.queryOptions());
  const id = useId();
  // A refused item is reported under its index (`scopes.2`): shown with the group all the same.
  const messages = Object.entries(fieldErrorsOf(error))
    .filter(([field]) => field === name || field.startsWith(`${name}.`))
    .flatMap(([, m]) => m);
  if (catalogue.isPending) return <Loading label="Loading the permissions…" />;
  if (!catalogue.data) return <ErrorState error={catalogue.error} />;
  const descriptions = new Map(catalogue.data.permissions.map((p) => [p.key, p.description]));
  const groups = groupByResource(catalogue.data.permissions.map((p) => p.key));
  return (
    <fieldset
      className="permission-picker"
      aria-describedby={messages.length ? `${id}-error` : hint ? `${id}-hint` : undefined}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className="permission-groups">
        {groups.map(([resource, actions]) => (
          <fieldset key={resource} className="permission-group">
            <legend>{resource}</legend>
            {actions.map((action) => {
              const key = `${resource}:${action}`;
              return (
                <label key={key} className="check" title={descriptions.get(key) ?? undefined}>
                  <input type="checkbox" name={name} value={key} defaultChecked={checked.includes(key)} />
                  {key}
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>
      {messages.length ? (
        <p className="field-error" id={`${id}-error`}>
          {messages.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}
