// The audit log: who did what to what, and what it changed (from → to), newest first, filtered as
// audit.list allows (actor, action, target, a time range).
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  Alert,
  Empty,
  Field,
  formErrorOf,
  formValues,
  Loading,
  Page,
  Pager,
  ScrollBox,
  SelectField,
  useCursors,
  when,
} from '../ui.tsx';
import { useIdentities } from './directory.tsx';

interface Filters {
  actorId?: string;
  action?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
}

const actorTypeNames = { user: 'User', apiKey: 'API key', serviceAccount: 'Service account', system: 'Gatehouse' };

/** A value of a change as a person reads it. */
const shown = (value: unknown) =>
  value === null || value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

export function AuditLog({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const identities = useIdentities(organizationId);
  const [filters, setFilters] = useState<Filters>({});
  const { cursor, pager } = useCursors(JSON.stringify(filters));
  const list = useQuery({
    ...gh.audit.list.queryOptions({ organizationId, limit: 25, ...filters, ...(cursor ? { cursor } : {}) }),
    retry: false,
  });
  const onFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { actorId, action, targetId, since, until } = formValues(event.currentTarget);
    setFilters({
      ...(actorId ? { actorId } : {}),
      ...(action?.trim() ? { action: action.trim() } : {}),
      ...(targetId?.trim() ? { targetId: targetId.trim() } : {}),
      ...(since ? { since: new Date(since) } : {}),
      ...(until ? { until: new Date(until) } : {}),
    });
  };
  const fields = ['actorId', 'action', 'targetId', 'since', 'until'];

  return (
    <Page title="Audit log">
      <form className="filters" aria-label="Filter the audit log" onSubmit={onFilter}>
        <SelectField label="Actor" name="actorId" error={list.error}>
          <option value="">Anyone</option>
          {identities.items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </SelectField>
        <Field label="Action" name="action" placeholder="team.created" error={list.error} />
        <Field label="Target id" name="targetId" error={list.error} />
        <Field label="From" name="since" type="datetime-local" error={list.error} />
        <Field label="Until" name="until" type="datetime-local" error={list.error} />
        <button type="submit">Filter</button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <Alert>{formErrorOf(list.error, fields) ?? 'Check the filters.'}</Alert>
      ) : list.data.items.length === 0 ? (
        <Empty>No entries match.</Empty>
      ) : (
        <ScrollBox label="Audit entries">
          <table>
            <caption className="visually-hidden">Audit entries</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.createdAt)}</td>
                  <td>
                    {e.actor.type === 'system' ? 'Gatehouse' : identities.nameOf(e.actor.id)}
                    <div className="muted">
                      {actorTypeNames[e.actor.type]}
                      {e.actor.platform ? ', platform admin' : ''}
                    </div>
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.target ? (
                      <>
                        {e.target.type}{' '}
                        {identities.items.some((i) => i.id === e.target?.id) ? identities.nameOf(e.target.id) : ''}
                        <div className="muted">
                          <code>{e.target.id}</code>
                        </div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {e.changes && Object.keys(e.changes).length ? (
                      <ul className="changes">
                        {Object.entries(e.changes).map(([field, change]) => (
                          <li key={field}>
                            {field}: {shown(change.from)} → {shown(change.to)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />
    </Page>
  );
}
